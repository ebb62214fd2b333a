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
/// request pays for it); with <paramref name="emails"/> appointments' addresses stored in the clear by an older version are
/// encrypted (<see cref="AppointmentEmailProtector.EncryptClearAsync"/>) and, with both, the booking caps' e-mail places are
/// rehashed under the key (<see cref="BookingCaps.RehashEmailPlacesAsync"/>).
/// </summary>
public sealed class DeskStartup(
    TenantDatabases databases, ILogger<DeskStartup>? logger = null, IdentifierHashes? hashes = null, AppointmentEmailProtector? emails = null) : IHostedService
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

            if (emails is not null && await emails.EncryptClearAsync(db, tenant, cancellationToken) is > 0 and var encrypted)
            {
                logger?.LogInformation("Tenant {Tenant}: {Count} appointment e-mail addresses stored in the clear encrypted", tenant, encrypted);
            }

            if (hashes is not null && emails is not null && await hashes.KeyAsync(tenant, cancellationToken) is { } key
                && await BookingCaps.RehashEmailPlacesAsync(db, tenant, key, emails, cancellationToken) is > 0 and var rehashed)
            {
                logger?.LogInformation("Tenant {Tenant}: {Count} booking e-mail places rehashed under the counters' key", tenant, rehashed);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
