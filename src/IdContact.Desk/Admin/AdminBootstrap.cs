using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// Creates a tenant's first administrator (or, with <see cref="AgentAuthorization.PrivacyRole"/>, its data protection
/// officer) outside the web server: the CLI's <c>admin create</c>.
/// </summary>
public static class AdminBootstrap
{
    public static async Task<(string? Password, IReadOnlyList<string> Errors)> CreateAdminAsync(
        IdContactOptions options, string tenant, string userName, string? displayName, string? extension,
        string role = AgentAuthorization.AdminRole, CancellationToken ct = default)
    {
        if (!options.Tenants.ContainsKey(tenant))
        {
            return (null, [$"There is no municipality '{tenant}' in this configuration."]);
        }

        var databases = new TenantDatabases(Options.Create(options));
        await new DeskStartup(databases).StartAsync(ct);

        await using var identity = new OfflineIdentity(databases, tenant);
        var (agent, password, errors) = await AgentAccounts.CreateAsync(identity.Users, userName, displayName ?? userName, extension, role);
        return agent is null ? (null, errors.ToList()) : (password, []);
    }
}
