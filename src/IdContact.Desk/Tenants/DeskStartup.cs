using IdContact.Desk.Agents;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tenants;

/// <summary>At start-up: every tenant's database exists with the newest schema (migrations) and the roles (administrator, data protection officer).</summary>
public sealed class DeskStartup(TenantDatabases databases, ILogger<DeskStartup>? logger = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await databases.MigrateAsync(logger ?? (ILogger)NullLogger.Instance, cancellationToken);
        foreach (var tenant in databases.Tenants)
        {
            await using var db = databases.Open(tenant);
            foreach (var role in AgentAuthorization.Roles)
            {
                if (!await db.Roles.AnyAsync(r => r.Name == role, cancellationToken))
                {
                    db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
