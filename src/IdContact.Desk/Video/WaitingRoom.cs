using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// Whether a resident is in the video waiting room now: their open call page's hub connection renews a lease
/// (<see cref="ContactSession.ResidentSeenAt"/>) every Desk:Chat:PresenceRenewSeconds and it counts for
/// Desk:Chat:PresenceLeaseSeconds, as agents' presence does. Kept in the tenant's database, so every instance sees it
/// and it lapses by itself when the instance holding the connection dies; a clean close clears it at once.
/// </summary>
public sealed class WaitingRoom(TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options, AppointmentNotifier notifier)
{
    /// <summary>A lease renewed at or after this instant still runs at <paramref name="now"/>.</summary>
    public static DateTimeOffset FreshSince(DateTimeOffset now, IdContactOptions options) => now - TimeSpan.FromSeconds(options.Desk().Chat.PresenceLeaseSeconds);

    /// <summary>
    /// The resident's page is there: renews the lease unless it was renewed less than <paramref name="interval"/> ago
    /// (by any connection of theirs), and returns the new time, or null when it did not. The Afspraken pages are told
    /// when the lease had lapsed or was cleared.
    /// </summary>
    public async Task<DateTimeOffset?> SeenAsync(string tenant, string sessionId, TimeSpan interval, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? fresh = FreshSince(now, options.Value), due = now - interval;
        await using var db = databases.Open(tenant);
        var video = db.Sessions.Where(s => s.Id == sessionId && s.Channel == Channels.Video);
        if (await video.Where(s => s.ResidentSeenAt == null || s.ResidentSeenAt < fresh).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, now), ct) > 0)
        {
            notifier.Changed(tenant);
            return now;
        }

        return await video.Where(s => s.ResidentSeenAt <= due).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, now), ct) > 0 ? now : null;
    }

    /// <summary>
    /// The resident's connection closed: no longer waiting, and the Afspraken pages are told. Only when no other
    /// connection of theirs (a reconnect, a second tab) renewed since this one's <paramref name="lastSeen"/>.
    /// </summary>
    public async Task LeftAsync(string tenant, string sessionId, DateTimeOffset lastSeen)
    {
        DateTimeOffset? mine = lastSeen;
        await using var db = databases.Open(tenant);
        if (await db.Sessions.Where(s => s.Id == sessionId && s.ResidentSeenAt == mine)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, (DateTimeOffset?)null)) > 0)
        {
            notifier.Changed(tenant);
        }
    }
}
