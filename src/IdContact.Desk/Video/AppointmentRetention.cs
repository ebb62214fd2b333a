using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Video;

/// <summary>
/// Appointment data (e-mail address included) is deleted Desk:RetentionMinutes after the appointment's end; a booking
/// page never used, that long after it expired; a cancelled appointment as soon as its cancellation e-mail is sent (or
/// given up); pending e-mail goes with its appointment; the per-address booking counts after their day; a cancelled
/// link's hash when its appointment would have ended.
/// </summary>
internal static class AppointmentRetention
{
    public static async Task<int> SweepAsync(DeskDbContext db, DateTimeOffset now, TimeSpan retention, CancellationToken ct)
    {
        DateTimeOffset? cutoff = now - retention;
        var deleted = await db.Appointments
            .Where(a => (a.End != null && a.End < cutoff) || (a.Start == null && a.BookingExpiresAt < cutoff)
                || (a.CancelledAt != null && !db.Outbox.Any(m => m.AppointmentId == a.Id && m.Attempts < MailOutbox.MaxAttempts)))
            .ExecuteDeleteAsync(ct);
        await db.Outbox.Where(m => !db.Appointments.Any(a => a.Id == m.AppointmentId)).ExecuteDeleteAsync(ct);
        await db.CancelledLinks.Where(c => c.Until < now).ExecuteDeleteAsync(ct);
        // A day's per-address booking counts matter only that day.
        var today = BookingCaps.Day(now);
        await db.AddressBookings.Where(b => b.Day < today).ExecuteDeleteAsync(ct);
        return deleted;
    }
}
