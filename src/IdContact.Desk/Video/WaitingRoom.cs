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
public sealed class WaitingRoom(
    TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options, AppointmentNotifier notifier, ContactNotifier contacts)
{
    /// <summary>A lease renewed at or after this instant still runs at <paramref name="now"/>.</summary>
    public static DateTimeOffset FreshSince(DateTimeOffset now, IdContactOptions options) => now - options.Desk().Chat.PresenceLease;

    /// <summary>
    /// How much longer the lease renewed at <paramref name="seenAt"/> runs at <paramref name="now"/>: the resident is in
    /// the waiting room; null when they are not. The lists render it, so an open page asks again when it runs out.
    /// </summary>
    public static TimeSpan? LeaseLeft(DateTimeOffset? seenAt, DateTimeOffset now, IdContactOptions options) =>
        seenAt - FreshSince(now, options) is { } left && left >= TimeSpan.Zero ? left : null;

    /// <summary>
    /// A shown lease's time left in milliseconds, as the lists' data-lease-ms (null: no attribute): live-refresh.js asks
    /// again when it runs out, so a lease that lapses without a word (a dead instance) still changes the page.
    /// </summary>
    public static string? LeaseMs(TimeSpan? left) =>
        left is { } l ? ((long)l.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// What the agents' lists (Afspraken, and the overview's Binnenkomende contacten) say of a video contact's resident:
    /// waiting only while their call page's lease runs (<paramref name="present"/>); one who came and left is told apart.
    /// A call whose agent's page is gone (<paramref name="agentLeft"/>, <see cref="CallLease"/>) says so: a colleague may
    /// take it over.
    /// </summary>
    public static string Status(ContactState? state, bool present, bool english, bool agentLeft = false) => state switch
    {
        ContactState.Active when agentLeft => english ? "Agent no longer in the call" : "Medewerker niet meer in het gesprek",
        ContactState.Active => english ? "In the call" : "In gesprek",
        _ when present => english ? "Waiting in the waiting room" : "Wacht in de wachtkamer",
        ContactState.Queued => english ? "Not in the waiting room" : "Niet in de wachtkamer",
        _ => english ? "Not arrived yet" : "Nog niet aangekomen",
    };

    /// <summary>
    /// What both lists say of an appointment that is over (<see cref="VideoOptions.IsOver"/>): held once an agent opened
    /// its call; over otherwise, saying when the resident came (opened the link) so an agent knows to call them back.
    /// </summary>
    public static string OverStatus(ContactState? state, bool english) => state switch
    {
        ContactState.Active => english ? "Held" : "Gehouden",
        ContactState.Queued => english ? "Over; the resident came" : "Afgelopen; de inwoner was er",
        _ => english ? "Over" : "Afgelopen",
    };

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
            await TellAsync(tenant);
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
            await TellAsync(tenant);
        }
    }

    /// <summary>The Afspraken pages and the overviews (Binnenkomende contacten) both show whether the resident waits.</summary>
    private async Task TellAsync(string tenant)
    {
        notifier.Changed(tenant);
        await contacts.ChangedAsync(tenant);
    }
}
