using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// Whether an agent is in a video call now: opening the call (<see cref="AppointmentStore.JoinAsAgentAsync"/>) sets
/// <see cref="ContactSession.AgentSeenAt"/>, the open call page's hub connection renews it every
/// Desk:Chat:PresenceRenewSeconds and it counts for Desk:Chat:PresenceLeaseSeconds, as the resident's waiting-room lease
/// does (<see cref="WaitingRoom"/>). Kept in the tenant's database, so every instance sees it and it lapses by itself when
/// the agent's laptop or the instance holding the connection dies; a clean close clears it at once.
/// </summary>
public sealed class CallLease(TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options, AppointmentNotifier notifier, ContactNotifier contacts)
{
    /// <summary>
    /// The one rule of a running call: its session is active (an agent opened it) and the agent's lease runs. Assigning,
    /// taking and cancelling leave such a call alone (in their conditional updates), the queue notices count it, and the
    /// Afspraken list shows an active call without it as left by the agent. Use it inside a query as
    /// <c>running.Any(s =&gt; s.Id == a.SessionId)</c>, so the check is part of the same statement.
    /// </summary>
    public static IQueryable<ContactSession> Running(DeskDbContext db, DateTimeOffset now, IdContactOptions options)
    {
        DateTimeOffset? fresh = WaitingRoom.FreshSince(now, options);
        return db.Sessions.Where(s => s.State == ContactState.Active && s.AgentSeenAt >= fresh);
    }

    /// <summary>
    /// The agent's call page is there: renews the lease of the call <paramref name="sessionId"/> while it is active and the
    /// appointment is still <paramref name="agentId"/>'s (a colleague who took it over is not overruled). Returns the new
    /// time, or null when nothing was renewed. The Afspraken pages and overviews are told when the lease had lapsed.
    /// </summary>
    public async Task<DateTimeOffset?> RenewAsync(string tenant, string sessionId, string agentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? fresh = WaitingRoom.FreshSince(now, options.Value);
        await using var db = databases.Open(tenant);
        var mine = db.Sessions.Where(s => s.Id == sessionId && s.Channel == Channels.Video && s.State == ContactState.Active
            && db.Appointments.Any(a => a.SessionId == s.Id && a.AgentId == agentId && a.CancelledAt == null));
        var lapsed = await mine.AnyAsync(s => s.AgentSeenAt == null || s.AgentSeenAt < fresh, ct);
        if (await mine.ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentSeenAt, now), ct) == 0)
        {
            return null;
        }

        if (lapsed)
        {
            await TellAsync(tenant);
        }

        return now;
    }

    /// <summary>
    /// The agent's call page closed: the call no longer counts as running, and the lists are told. Only when no other
    /// connection of theirs (a reload, a second tab) renewed since this one's <paramref name="lastSeen"/>.
    /// </summary>
    public async Task LeftAsync(string tenant, string sessionId, DateTimeOffset lastSeen)
    {
        DateTimeOffset? mine = lastSeen;
        await using var db = databases.Open(tenant);
        if (await db.Sessions.Where(s => s.Id == sessionId && s.AgentSeenAt == mine)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentSeenAt, (DateTimeOffset?)null)) > 0)
        {
            await TellAsync(tenant);
        }
    }

    private async Task TellAsync(string tenant)
    {
        notifier.Changed(tenant);
        await contacts.ChangedAsync(tenant);
    }
}
