using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tenants;

/// <summary>
/// At start-up: every tenant's database exists with the newest schema (migrations) and the roles (administrator, data
/// protection officer); with <paramref name="hashes"/> (the server, not the CLI) the counters' key is opened (so no
/// request pays for it); with <paramref name="emails"/> one pass over the appointments that need it
/// (<see cref="AppointmentStartUp"/>): addresses stored in the clear by an older version are encrypted and, with both, the
/// coming appointments' e-mail places are rehashed under the key.
/// </summary>
public sealed class DeskStartup(
    TenantDatabases databases, ILogger<DeskStartup>? logger = null, IdentifierHashes? hashes = null, AppointmentEmailProtector? emails = null,
    TimeProvider? time = null) : IHostedService
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

            if (emails is null)
            {
                continue;
            }

            var key = hashes is null ? null : await hashes.KeyAsync(tenant, cancellationToken);
            var (encrypted, rehashed) = await AppointmentStartUp.RunAsync(db, tenant, emails, key, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
            if (encrypted > 0)
            {
                logger?.LogInformation("Tenant {Tenant}: {Count} appointment e-mail addresses stored in the clear encrypted", tenant, encrypted);
            }

            if (rehashed > 0)
            {
                logger?.LogInformation("Tenant {Tenant}: {Count} booking e-mail places rehashed under the counters' key", tenant, rehashed);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
