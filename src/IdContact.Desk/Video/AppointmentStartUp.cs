using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Video;

/// <summary>
/// At start-up, one pass over the appointments that need it: addresses an older version stored in the clear are
/// encrypted (<see cref="AppointmentEmailProtector"/>), and the e-mail places of coming appointments get the keyed hash
/// of their address (<see cref="BookingCaps.EmailHashAsync"/>), so ones stored unkeyed or under another key still count
/// under the cap. An ended appointment's place counts for nothing (the next booking of its address frees it), so only
/// coming ones are opened: a start costs the same however many ended appointments retention still keeps.
/// Idempotent, and safe when two instances start at once: each row is written only if it still holds what was read.
/// </summary>
public static class AppointmentStartUp
{
    /// <returns>How many addresses were encrypted and how many places rehashed.</returns>
    public static async Task<(int Encrypted, int Rehashed)> RunAsync(
        DeskDbContext db, string tenant, AppointmentEmailProtector emails, byte[]? key, DateTimeOffset now, CancellationToken ct)
    {
        DateTimeOffset? coming = now;
        var rehash = key is not null;
        var rows = await db.Appointments.AsNoTracking()
            .Where(a => a.Email != null
                && (!a.Email.StartsWith(AppointmentEmailProtector.Prefix) || (rehash && a.EmailNumber != null && a.End > coming)))
            .Select(a => new { a.Id, a.Email, a.EmailHash, a.EmailNumber, a.End })
            .ToListAsync(ct);
        int encrypted = 0, rehashed = 0;
        foreach (var row in rows)
        {
            var clear = !row.Email!.StartsWith(AppointmentEmailProtector.Prefix, StringComparison.Ordinal);
            if (clear)
            {
                var stored = emails.Protect(tenant, row.Email);
                encrypted += await db.Appointments.Where(a => a.Id == row.Id && a.Email == row.Email)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, stored), ct);
            }

            if (key is null || row.EmailNumber is null || !(row.End > now) || (clear ? row.Email : emails.Reveal(tenant, row.Id, row.Email)) is not { } email)
            {
                continue;
            }

            var hash = IdentifierHashes.Of(key, "email", BookingCaps.NormaliseEmail(email));
            if (hash == row.EmailHash)
            {
                continue;
            }

            var mine = db.Appointments.Where(a => a.Id == row.Id && a.EmailHash == row.EmailHash);
            try
            {
                rehashed += await mine.ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, hash), ct);
            }
            catch (Exception e) when (StoreErrors.IsUniqueViolation(e))
            {
                // Its new hash and place another booking already holds (an older instance still ran): it gives the place up rather than fail the start.
                rehashed += await mine.ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, hash).SetProperty(a => a.EmailNumber, (int?)null), ct);
            }
        }

        return (encrypted, rehashed);
    }
}
