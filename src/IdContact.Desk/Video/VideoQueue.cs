using System.Globalization;
using System.Linq.Expressions;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// A busy video day, appointments back to back: what the waiting resident and the agent in a call are told when a call
/// runs past its slot. Nobody is cut off; both sides only learn what the desk knows, and no time is promised.
/// An appointment's queue is its agent's appointments, or, for one nobody holds yet, the booking pool's (its desks are
/// Tenants:{tag}:Desk:Video:Agents). Only calls and residents of appointments that are not over count.
/// </summary>
public sealed class VideoQueue(TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options)
{
    /// <summary>
    /// What the resident's waiting room says once their slot has begun and nobody opened their call yet, while the agent
    /// (or every video desk of the pool) is still in another call: that they are next, or that someone waits before them.
    /// Null otherwise (not yet their time, in the call, or nobody busy: the page keeps "Wacht op de medewerker …").
    /// A call the agent opened but whose page is gone (<see cref="CallLease"/>: closed, or the laptop died) says so
    /// instead, and that the resident may wait.
    /// </summary>
    public async Task<string?> ResidentNoticeAsync(string tenant, string sessionId, bool english, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var video = options.Value.Tenants[tenant].Desk().Video;
        await using var db = databases.Open(tenant);
        var live = Live(db, video.OverIfEndedBefore(now));
        var running = CallLease.Running(db, now, options.Value);
        var mine = await live.Where(x => x.Appointment.SessionId == sessionId).FirstOrDefaultAsync(ct);
        if (mine?.Session.State == ContactState.Active)
        {
            return await running.AnyAsync(s => s.Id == sessionId, ct) ? null : AgentLeft(english);
        }

        if (mine is null || mine.Appointment.Start > now)
        {
            return null;
        }

        var others = live.Where(x => x.Appointment.Id != mine.Appointment.Id);
        var queue = Queue(others, mine.Appointment.AgentId, running);
        var inCall = queue.Where(x => running.Any(s => s.Id == x.Session.Id));
        var busy = mine.Appointment.AgentId is null ? await inCall.CountAsync(ct) >= video.Agents : await inCall.AnyAsync(ct);
        if (!busy)
        {
            return null;
        }

        DateTimeOffset? start = mine.Appointment.Start, fresh = WaitingRoom.FreshSince(now, options.Value);
        var (created, id) = (mine.Appointment.CreatedAt, mine.Appointment.Id);
        // Ahead: a resident in the waiting room whose slot began earlier; of one slot, who booked first (then the id).
        var ahead = await queue.Where(Waits(running, fresh)).AnyAsync(
            x => x.Appointment.Start < start || (x.Appointment.Start == start
                    && (x.Appointment.CreatedAt < created || (x.Appointment.CreatedAt == created && string.Compare(x.Appointment.Id, id) < 0))),
            ct);
        return (english, ahead) switch
        {
            (true, false) => "The agent is still in another call. You are next.",
            (true, true) => "The agent is still in another call. Someone is waiting before you.",
            (false, false) => "De medewerker is nog in een gesprek. U bent de volgende.",
            (false, true) => "De medewerker is nog in een gesprek. Er wacht nog iemand voor u.",
        };
    }

    /// <summary>
    /// What the agent's call page says once the appointment's slot has ended (the call goes on): that its time is up,
    /// and whether a resident of the agent's queue (theirs, or the pool's) whose slot has begun waits in the waiting room.
    /// Null while the slot lasts.
    /// </summary>
    public async Task<string?> AgentNoticeAsync(string tenant, Appointment appointment, bool english, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (appointment.End is not { } end || end > now)
        {
            return null;
        }

        var video = options.Value.Tenants[tenant].Desk().Video;
        DateTimeOffset? nowN = now, fresh = WaitingRoom.FreshSince(now, options.Value);
        await using var db = databases.Open(tenant);
        var running = CallLease.Running(db, now, options.Value);
        var mineOrPool = Live(db, video.OverIfEndedBefore(now))
            .Where(x => x.Appointment.Id != appointment.Id && (x.Appointment.AgentId == appointment.AgentId || (x.Appointment.AgentId == null && x.Appointment.DeskNumber != null)));
        var next = await mineOrPool
            .Where(Waits(running, fresh))
            .Where(x => x.Appointment.Start <= nowN)
            .OrderBy(x => x.Appointment.Start)
            .Select(x => x.Appointment.Start)
            .FirstOrDefaultAsync(ct);
        var until = Clock(end);
        return next is { } at
            ? english
                ? $"This appointment's time is up ({until}). The next resident is waiting (appointment at {Clock(at)})."
                : $"De tijd van deze afspraak is om ({until}). De volgende inwoner wacht (afspraak van {Clock(at)})."
            : english
                ? $"This appointment's time is up ({until}). Nobody is waiting yet."
                : $"De tijd van deze afspraak is om ({until}). Er wacht nog niemand.";
    }

    /// <summary>What the resident's call page says when the agent's page of their call is gone (<see cref="CallLease"/>).</summary>
    public static string AgentLeft(bool english) => english
        ? "The agent's connection is gone. You may wait on this page: the agent or a colleague can come back into the call."
        : "De verbinding van de medewerker is weg. U kunt op deze pagina wachten: de medewerker of een collega kan terugkomen in het gesprek.";

    private static string Clock(DateTimeOffset at) => DutchTime.Of(at).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Booked, not cancelled and not over appointments with their session.</summary>
    private static IQueryable<Entry> Live(DeskDbContext db, DateTimeOffset overBefore)
    {
        DateTimeOffset? over = overBefore;
        return from a in db.Appointments
               where a.Start != null && a.CancelledAt == null && a.End >= over
               join s in db.Sessions on a.SessionId equals s.Id
               select new Entry { Appointment = a, Session = s };
    }

    /// <summary>An agent's appointments, or (no agent) the pool's: booked by residents, on a desk, free or in a running call.</summary>
    private static IQueryable<Entry> Queue(IQueryable<Entry> entries, string? agentId, IQueryable<ContactSession> running) => agentId is null
        ? entries.Where(x => x.Appointment.DeskNumber != null && (x.Appointment.AgentId == null || running.Any(s => s.Id == x.Session.Id)))
        : entries.Where(x => x.Appointment.AgentId == agentId);

    /// <summary>
    /// A resident in the waiting room (their lease runs): arrived and no call open, or in a call whose agent's page is
    /// gone (<see cref="CallLease.Running"/>): they wait for someone too.
    /// </summary>
    private static Expression<Func<Entry, bool>> Waits(IQueryable<ContactSession> running, DateTimeOffset? fresh) =>
        x => (x.Session.State == ContactState.Queued || x.Session.State == ContactState.Active) && x.Session.ResidentSeenAt >= fresh
            && !running.Any(s => s.Id == x.Session.Id);

    private sealed class Entry
    {
        public required Appointment Appointment { get; init; }

        public required ContactSession Session { get; init; }
    }
}
