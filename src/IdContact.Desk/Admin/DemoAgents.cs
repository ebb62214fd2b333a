using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// Demo only (Desk:SeedDemoAgents): a tenant without agents gets administrator "demo" with extension 201, so the
/// whole pilot can be walked at once. The password is written to a 0600 file, never to the log.
/// </summary>
public sealed class DemoAgents(TenantDatabases databases, IOptions<IdContactOptions> options, ILogger<DemoAgents> logger) : IHostedService
{
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
            var (agent, password, _) = await AgentAccounts.CreateAsync(users, "demo", "Demo-medewerker", "201", isAdmin: true);
            if (agent is not null)
            {
                agent.MustChangePassword = false;
                await users.UpdateAsync(agent);
                lines.Add($"{tenant}: user 'demo', password '{password}' → /{tenant}/desk");
            }
        }

        if (lines.Count > 0)
        {
            var path = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "demo-agents.txt"));
            await File.AppendAllLinesAsync(path, lines, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("Demo agent accounts were created; their passwords are in {Path}", path);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
