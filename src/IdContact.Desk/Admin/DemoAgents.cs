using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// Demo only (Desk:SeedDemoAgents): a tenant without agents gets administrator "demo" with extension 201, so the
/// whole pilot can be walked at once, and data protection officer "demo-fg" (role privacy) for the access log and the
/// administrator actions. The passwords are written to a 0600 file, never to the log.
/// </summary>
public sealed partial class DemoAgents(TenantDatabases databases, IOptions<IdContactOptions> options, ILogger<DemoAgents> logger) : IHostedService
{
    /// <summary>The demo's data protection officer (functionaris gegevensbescherming).</summary>
    public const string OfficerUserName = "demo-fg";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var tenant in databases.Tenants)
        {
            await using (var db = databases.Open(tenant))
            {
                if (await db.Users.AnyAsync(cancellationToken))
                {
                    continue;
                }
            }

            await using var identity = new OfflineIdentity(databases, tenant);
            var users = identity.Users;
            var (agent, password, _) = await AgentAccounts.CreateAsync(users, "demo", "Demo-medewerker", "201", AgentAuthorization.AdminRole);
            if (agent is not null)
            {
                agent.MustChangePassword = false;
                await users.UpdateAsync(agent);
                lines.Add($"{tenant}: user 'demo', password '{password}' → /{tenant}/desk");
            }

            // The officer's password is handed out as to any new account: they choose their own at first sign-in.
            var (officer, officerPassword, _) = await AgentAccounts.CreateAsync(
                users, OfficerUserName, "Functionaris gegevensbescherming (demo)", null, AgentAuthorization.PrivacyRole);
            if (officer is not null)
            {
                lines.Add($"{tenant}: user '{OfficerUserName}', password '{officerPassword}' (data protection officer, one-time) → /{tenant}/desk");
            }
        }

        if (lines.Count > 0)
        {
            var path = FilePath(options.Value);
            await File.AppendAllLinesAsync(path, lines, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("Demo agent accounts were created; their passwords are in {Path}", path);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Where the demo passwords are written: under the data directory, wherever the server was started from.</summary>
    public static string FilePath(IdContactOptions options) => Path.GetFullPath(Path.Combine(options.DataDirectory, "demo-agents.txt"));

    /// <summary>
    /// The newest password per tenant of demo account <paramref name="userName"/> ("demo" or <see cref="OfficerUserName"/>),
    /// as written to <see cref="FilePath"/>; empty when there is none.
    /// </summary>
    public static Dictionary<string, string> ReadPasswords(IdContactOptions options, string userName = "demo")
    {
        var passwords = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var path = FilePath(options);
        if (!File.Exists(path))
        {
            return passwords;
        }

        foreach (var line in File.ReadLines(path))
        {
            var match = Line().Match(line);
            if (match.Success && match.Groups[2].Value == userName)
            {
                passwords[match.Groups[1].Value] = match.Groups[3].Value;
            }
        }

        return passwords;
    }

    /// <summary>
    /// <see cref="ReadPasswords"/> for the start page, with null for an account whose password was changed or reset since
    /// (or that was deleted): the file keeps the first password, the account's hash says whether it still opens it.
    /// </summary>
    public static async Task<Dictionary<string, string?>> CurrentPasswordsAsync(TenantDatabases databases, IdContactOptions options, string userName, CancellationToken ct)
    {
        var current = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var normalized = userName.ToUpperInvariant();
        foreach (var (tenant, password) in ReadPasswords(options, userName))
        {
            if (!databases.Tenants.Contains(tenant, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            await using var db = databases.Open(tenant);
            var hash = await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.PasswordHash).FirstOrDefaultAsync(ct);
            current[tenant] = hash is not null && Opens(hash, password) ? password : null;
        }

        return current;
    }

    // A hash check is deliberately slow (PBKDF2); a hash and password pair is checked once per process. Every password
    // change or reset of a demo account makes a new hash, so past a bound (far more than the start page shows) it starts over.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Hash, string Password), bool> Checked = new();

    private const int MaxChecked = 64;

    private static bool Opens(string hash, string password)
    {
        if (Checked.Count >= MaxChecked)
        {
            Checked.Clear();
        }

        return Checked.GetOrAdd((hash, password), key => new PasswordHasher<Agent>().VerifyHashedPassword(new Agent(), key.Hash, key.Password) != PasswordVerificationResult.Failed);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^([a-z0-9-]+): user '([a-z-]+)', password '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex Line();
}
