using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>One row of the agent's "Afspraken" page: no e-mail address, no attributes.</summary>
/// <remarks>
/// <see cref="State"/>: Queued once the resident opened the link, Active in the call. <see cref="LeaseLeft"/>: the
/// resident's call page is open now, for this much longer unless it renews (<see cref="WaitingRoom"/>).
/// <see cref="Cancellable"/>: its slot has not ended (<see cref="AppointmentStore.FindOpenAsync"/>'s rule); in the grace
/// after it the call still opens, but there is nothing left to cancel. <see cref="AgentLeft"/>: an agent opened the call
/// but their call page's lease ran out (<see cref="CallLease"/>); <see cref="AgentLeaseLeft"/>: how long it still runs.
/// </remarks>
public sealed record AppointmentRow(
    string Id, string SessionId, DateTimeOffset Start, string Purpose, bool Proven, string? AgentId, string? AgentName, string PlannedBy, bool MailFailed, int MailAttempts,
    ContactState? State = null, TimeSpan? LeaseLeft = null, bool Cancellable = true, bool AgentLeft = false, TimeSpan? AgentLeaseLeft = null, bool NoShowDue = false)
{
    public bool Present => LeaseLeft is not null;

    /// <summary>
    /// Whether the row offers *Inwoner niet verschenen* to the agent <paramref name="agentId"/> (<see cref="NoShowDue"/>: its start was
    /// <see cref="AppointmentList.NoShowAfter"/> ago)
    /// (<see cref="AppointmentList.MarkNoShowAsync"/> decides; this only leaves the button off where it would be refused).
    /// </summary>
    public bool OffersNoShow(string agentId) =>
        Cancellable && NoShowDue && !InCall && !Present && (AgentId == agentId || AgentId is null);

    /// <summary>An agent has the call open now (<see cref="CallLease.Running"/>): it is neither moved nor cancelled from the list.</summary>
    public bool InCall => State == ContactState.Active && !AgentLeft;

    /// <summary>The lease whose end changes what the row says: the agent's in a running call, else the resident's.</summary>
    public TimeSpan? ShownLeaseLeft => InCall ? AgentLeaseLeft : LeaseLeft;
}

/// <summary>What a take or an assignment did: <see cref="Gone"/> is cancelled, already taken or an unknown agent.</summary>
public enum AssignOutcome
{
    Assigned,
    Gone,
    Over,

    /// <summary>An agent has its call open: it stays theirs until it ends, so nobody cuts a running call off.</summary>
    InCall,
}

/// <summary>The appointments that are over (<see cref="AppointmentList.OverAsync"/>): the most recent first, at most <see cref="AppointmentList.OverShown"/>.</summary>
/// <param name="More">There are more than are shown (the oldest are left out).</param>
public sealed record OverAppointments(IReadOnlyList<AppointmentRow> Rows, bool More);

/// <summary>
/// The appointments of a tenant (V1, V2): those still to come or going on now, and those that are over. Over is the join's
/// own rule (<see cref="VideoOptions.IsOver"/>: the slot's end plus GraceMinutes), so a listed appointment's call can be
/// opened and one that can no longer be opened is not offered. Retention deletes an appointment Desk:RetentionMinutes
/// after its end.
/// </summary>
public sealed class AppointmentList(TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options)
{
    /// <summary>The over list shows at most this many: it is a look back, not an archive.</summary>
    public const int OverShown = 20;

    /// <summary>Appointments that are not over, soonest first: coming, and going on now (until the join closes).</summary>
    public async Task<IReadOnlyList<AppointmentRow>> TodayAndComingAsync(string tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? overBefore = Video(tenant).OverIfEndedBefore(now);
        await using var db = databases.Open(tenant);
        var shown = db.Appointments.AsNoTracking()
            .Where(a => a.Start != null && a.CancelledAt == null && a.End >= overBefore)
            .OrderBy(a => a.Start)
            .Take(500);
        return [.. (await RowsAsync(db, shown, now, ct)).OrderBy(r => r.Start)];
    }

    /// <summary>Appointments that are over and not yet deleted by retention, the most recent first, bounded.</summary>
    public async Task<OverAppointments> OverAsync(string tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? overBefore = Video(tenant).OverIfEndedBefore(now);
        await using var db = databases.Open(tenant);
        var shown = db.Appointments.AsNoTracking()
            .Where(a => a.Start != null && a.CancelledAt == null && a.End < overBefore)
            .OrderByDescending(a => a.Start)
            .Take(OverShown + 1);
        var rows = (await RowsAsync(db, shown, now, ct)).OrderByDescending(r => r.Start).ToList();
        return new OverAppointments(rows.Take(OverShown).ToList(), rows.Count > OverShown);
    }

    private VideoOptions Video(string tenant) => options.Value.Tenants[tenant].Desk().Video;

    private async Task<List<AppointmentRow>> RowsAsync(DeskDbContext db, IQueryable<Appointment> shown, DateTimeOffset now, CancellationToken ct)
    {
        // One lookup of each appointment's session (it may be gone) for what the row shows of it.
        var running = CallLease.Running(db, now, options.Value);
        var rows = await (
            from a in shown
            join found in db.Sessions on a.SessionId equals found.Id into sessions
            from s in sessions.DefaultIfEmpty()
            select new
            {
                a.Id,
                a.SessionId,
                a.Start,
                a.End,
                a.Purpose,
                Proven = s != null && s.ResultToken != null,
                State = s == null ? null : (ContactState?)s.State,
                SeenAt = s == null ? null : s.ResidentSeenAt,
                AgentSeenAt = s == null ? null : s.AgentSeenAt,
                Running = running.Any(x => x.Id == a.SessionId),
                a.AgentId,
                a.PlannedBy,
                // Failed: a message that was tried and waits for a retry. A reminder not yet due has no attempts, so it is no failure.
                Failed = db.Outbox.Where(m => m.AppointmentId == a.Id && m.Attempts > 0).Select(m => (int?)m.Attempts).Max(),
            }).ToListAsync(ct);
        var ids = rows.Where(r => r.AgentId != null).Select(r => r.AgentId!).Distinct().ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.ConvertAll(r => new AppointmentRow(
            r.Id, r.SessionId, r.Start!.Value, r.Purpose, r.Proven, r.AgentId, r.AgentId is null ? null : names.GetValueOrDefault(r.AgentId),
            r.PlannedBy, r.Failed is not null, r.Failed ?? 0, r.State, WaitingRoom.LeaseLeft(r.SeenAt, now, options.Value), r.End > now,
            r.State == ContactState.Active && !r.Running, WaitingRoom.LeaseLeft(r.AgentSeenAt, now, options.Value), r.Start + NoShowAfter <= now));
    }

    /// <summary>
    /// Sets the agent of an appointment; with <paramref name="onlyIfFree"/> only when nobody has it yet (taking). One that
    /// is over (posted from a page loaded before it moved to Afgelopen) keeps its agent: its call can no longer be opened.
    /// </summary>
    public async Task<AssignOutcome> AssignAsync(string tenant, string id, string agentId, bool onlyIfFree, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? overBefore = Video(tenant).OverIfEndedBefore(now);
        await using var db = databases.Open(tenant);
        var standing = db.Appointments.Where(a => a.Id == id && a.Start != null && a.CancelledAt == null);
        var running = CallLease.Running(db, now, options.Value);
        try
        {
            if (await standing.Where(a => a.End >= overBefore && (!onlyIfFree || a.AgentId == null) && !running.Any(s => s.Id == a.SessionId))
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.AgentId, agentId), ct) > 0)
            {
                return AssignOutcome.Assigned;
            }
        }
        catch (Exception e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            // That agent's account was deleted since it was read: the appointment stays as it was.
            return AssignOutcome.Gone;
        }

        return await standing.AnyAsync(a => a.End < overBefore, ct) ? AssignOutcome.Over
            : await InCallAsync(tenant, id, ct) ? AssignOutcome.InCall
            : AssignOutcome.Gone;
    }

    /// <summary>
    /// How long after an appointment's start its resident may be marked as not come (*Inwoner niet verschenen*): a few
    /// minutes late is usual (the link works until GraceMinutes after the end), so the agent gives them this long first.
    /// A constant, not a setting: it only guards against a click at the very start.
    /// </summary>
    public static readonly TimeSpan NoShowAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The agent holding the appointment (or any agent, for one of the pool nobody holds) marks that its resident did not
    /// come: it is over from now (its end moves to just before the join's rule closes it, <see cref="VideoOptions.IsOver"/>),
    /// so the link says it has passed, the call no longer opens and retention deletes it Desk:RetentionMinutes after that new
    /// end, as for any ended appointment. One conditional update decides: refused before <see cref="NoShowAfter"/> past its start,
    /// while the resident is in the waiting room, for a running call (<see cref="CallLease.Running"/>), a colleague's, a
    /// cancelled or an over one. True when marked.
    /// </summary>
    public async Task<bool> MarkNoShowAsync(string tenant, string id, string agentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var overBefore = Video(tenant).OverIfEndedBefore(now);
        DateTimeOffset? notOver = overBefore, startedBy = now - NoShowAfter, fresh = WaitingRoom.FreshSince(now, options.Value), over = overBefore.AddSeconds(-1);
        await using var db = databases.Open(tenant);
        var running = CallLease.Running(db, now, options.Value);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var marked = await db.Appointments
            .Where(a => a.Id == id && a.Start != null && a.CancelledAt == null && a.End >= notOver && a.Start <= startedBy
                && (a.AgentId == agentId || a.AgentId == null)
                && !running.Any(s => s.Id == a.SessionId)
                && !db.Sessions.Any(s => s.Id == a.SessionId && s.ResidentSeenAt >= fresh))
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.End, over), ct);
        if (marked == 0)
        {
            return false;
        }

        // The session (and any result) goes with the appointment, retention's usual time after the new end.
        await db.Sessions.Where(s => db.Appointments.Any(a => a.Id == id && a.SessionId == s.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, over!.Value), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The start of another appointment of the agent (not cancelled, not over) whose time overlaps <paramref name="planned"/>'s:
    /// the planning form allows it (a caller who needs a call now), but says so. Null when there is none.
    /// </summary>
    public async Task<DateTimeOffset?> OverlapAsync(string tenant, Appointment planned, CancellationToken ct)
    {
        DateTimeOffset? start = planned.Start, end = planned.End, overBefore = Video(tenant).OverIfEndedBefore(time.GetUtcNow());
        await using var db = databases.Open(tenant);
        return await db.Appointments.Where(a => a.Id != planned.Id && a.AgentId == planned.AgentId && a.Start != null && a.CancelledAt == null
                && a.End >= overBefore && a.Start < end && a.End > start)
            .OrderBy(a => a.Start).Select(a => a.Start).FirstOrDefaultAsync(ct);
    }

    /// <summary>Whether an agent has the appointment's call open now (<see cref="CallLease.Running"/>): it is neither moved nor cancelled then.</summary>
    public async Task<bool> InCallAsync(string tenant, string id, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var running = CallLease.Running(db, time.GetUtcNow(), options.Value);
        return await db.Appointments.AnyAsync(a => a.Id == id && running.Any(s => s.Id == a.SessionId), ct);
    }
}
