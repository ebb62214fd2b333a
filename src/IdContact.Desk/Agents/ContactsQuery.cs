using System.Text;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Desk.Video;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>One page of the agent overview: newest contacts first, and how many there are in all.</summary>
/// <param name="Total">How many contacts there are, counted up to <see cref="ContactsQuery.CountCap"/> + 1.</param>
/// <param name="Queue">The overview's queue panel: who waits longest (not on the per-call and per-session pages).</param>
public sealed record ContactPage(IReadOnlyList<ContactView> Contacts, int Page, int Total, QueueSummary? Queue = null)
{
    public int Pages => PagesFor(Total);

    /// <summary>More contacts than are counted: the list says "more than …" and pages through the newest ones.</summary>
    public bool MoreThanCounted => Total > ContactsQuery.CountCap;

    /// <summary>Pages for a (capped) count: at least one, at most the counted contacts' worth.</summary>
    public static int PagesFor(int total) => Math.Max(1, (Math.Min(total, ContactsQuery.CountCap) + ContactsQuery.PageSize - 1) / ContactsQuery.PageSize);
}

/// <summary>
/// Builds the agent overview (P5, M4): decrypts attributes for display and audits every reveal (X1). Need to know: an
/// agent sees the data of contacts nobody holds yet (to see who is calling before taking it) and of their own, never of a
/// colleague's; every page that shows contacts (overview, per-call page, chat and video data panels) goes through here.
/// The overview is paged, so its cost stays the same however many contacts are live: one page is read, decrypted and
/// audited, and the count stops at <see cref="CountCap"/>.
/// </summary>
public sealed class ContactsQuery(
    TenantDatabases databases, OpenedResults results, TimeProvider time, IOptions<IdContactOptions> options, PublicUrls urls, SubjectPseudonyms pseudonyms)
{
    /// <summary>Contacts per overview page.</summary>
    public const int PageSize = 20;

    /// <summary>
    /// The overview counts at most this many (50 pages): counting every contact would cost a scan of the index that grows
    /// with the queue on every refresh, and no agent pages back through a thousand contacts.
    /// </summary>
    public const int CountCap = 1000;

    /// <summary>At most this many contacts share one call or session (the per-call page, a chat's data panel).</summary>
    private const int MaxPerCall = 20;

    // Compiled once: these run on every agent page and list refresh, and EF's per-call query cache lookup (funcletizing
    // and hashing the expression tree) cost more CPU than reading the rows.
    private static readonly PerModel<Func<DeskDbContext, CancellationToken, Task<int>>> CountIncoming =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, CancellationToken ct) => db.Sessions.Where(s => s.State != ContactState.Waiting).Take(CountCap + 1).Count()));

    // The page with the (capped) count beside each row: one round trip on every list refresh where it was two. The count
    // is an uncorrelated subquery, which both databases evaluate once per statement.
    private static readonly PerModel<Func<DeskDbContext, int, IAsyncEnumerable<PageRow>>> PageOf =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, int skip) => db.Sessions.AsNoTracking()
            .Where(s => s.State != ContactState.Waiting)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(skip)
            .Take(PageSize)
            .Select(s => new PageRow { Session = s, Total = db.Sessions.Where(c => c.State != ContactState.Waiting).Take(CountCap + 1).Count() })));

    private static readonly PerModel<Func<DeskDbContext, string?, string?, IAsyncEnumerable<ContactSession>>> OfCallOrSession =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string? callId, string? sessionId) => db.Sessions.AsNoTracking()
            .Where(s => s.State != ContactState.Waiting && (callId == null || s.CallId == callId) && (sessionId == null || s.Id == sessionId))
            .OrderBy(s => s.CreatedAt)
            .Take(MaxPerCall)));

    /// <summary>One page (1-based, clamped to the last) of the contacts that reached the queue, newest first.</summary>
    public async Task<ContactPage> PageAsync(string tenantTag, TenantOptions tenant, Agent agent, bool english, int page, CancellationToken ct)
    {
        await using var db = databases.Open(tenantTag);
        page = Math.Max(1, page);
        var rows = await PageOf.For(db)(db, (page - 1) * PageSize).ToListAsync(ct);
        // An empty page past the first says no count: only a page past the end (a stale link) counts alone.
        var total = rows.Count > 0 ? rows[0].Total : page == 1 ? 0 : await CountIncoming.For(db)(db, ct);
        if (page > ContactPage.PagesFor(total))
        {
            page = ContactPage.PagesFor(total);
            rows = await PageOf.For(db)(db, (page - 1) * PageSize).ToListAsync(ct);
        }

        var sessions = rows.ConvertAll(r => r.Session);
        var queue = await ContactQueue.SummaryAsync(db, ct);
        return new ContactPage(await ViewsAsync(db, sessions, tenantTag, tenant, agent, english, ct), page, total, queue);
    }

    /// <param name="callId">Only the contact of this call (the embeddable per-call page).</param>
    /// <param name="sessionId">Only this session (a chat's data panel).</param>
    public async Task<List<ContactView>> IncomingAsync(string tenantTag, TenantOptions tenant, Agent agent, bool english, string? callId, CancellationToken ct, string? sessionId = null)
    {
        if (callId is null && sessionId is null)
        {
            return [.. (await PageAsync(tenantTag, tenant, agent, english, 1, ct)).Contacts];
        }

        await using var db = databases.Open(tenantTag);
        var sessions = await OfCallOrSession.For(db)(db, callId, sessionId).ToListAsync(ct);
        return await ViewsAsync(db, sessions, tenantTag, tenant, agent, english, ct);
    }

    /// <summary>
    /// Decrypts (once, see <see cref="OpenedResults"/>) and audits; the audit rows are committed before anything is shown.
    /// Need to know: a contact a colleague holds is shown without its data, neither decrypted nor audited (see <see cref="BookingsAsync"/>).
    /// </summary>
    private async Task<List<ContactView>> ViewsAsync(
        DeskDbContext db, List<ContactSession> sessions, string tenantTag, TenantOptions tenant, Agent agent, bool english, CancellationToken ct)
    {
        var bookings = await BookingsAsync(db, sessions, ct);
        var agentIds = sessions.Select(s => s.AgentId).Concat(bookings.Values.Select(b => b.AgentId)).OfType<string>().Distinct().ToList();
        var names = agentIds.Count == 0
            ? []
            : await db.Users.Where(u => agentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        var now = time.GetUtcNow();
        var video = tenant.Desk().Video;
        var viewed = new List<(string SessionId, string? Subject)>(sessions.Count);
        var views = new List<ContactView>(sessions.Count);
        foreach (var session in sessions)
        {
            var takenBy = session.AgentId is null ? null : names.GetValueOrDefault(session.AgentId, "?");
            var booking = bookings.GetValueOrDefault(session.Id);
            var holder = booking?.AgentId ?? session.AgentId;
            // The join's own rule: an appointment that is over is shown as such, without the call to open or a lease.
            var over = booking?.End is { } end && video.IsOver(end, now);
            var lease = over ? null : WaitingRoom.LeaseLeft(session.ResidentSeenAt, now, options.Value);
            if (holder is not null && holder != agent.Id)
            {
                // A colleague's contact: what it is and who has it, nothing of the resident (not even whether sign-in failed).
                views.Add(new ContactView(
                    session.Id, session.Channel, PurposeLabel(tenant, session.Purpose, english), session.State, [], false, null, false, null, false,
                    takenBy, session.CreatedAt, false, WebCodeOf(session, tenantTag, tenant, agent, now), names.GetValueOrDefault(holder, "?"), lease, over));
                continue;
            }

            var result = results.Open(tenantTag, session);
            var attributes = result.Status == AuthStatus.Success ? result.Attributes : OpenedResult.Unusable.Attributes;
            var testData = result.Signer?.IsTest == true;
            var link = ExternalLink.Fill(tenant.Desk().ExternalLinkTemplate, attributes);
            if (attributes.Count > 0)
            {
                // A session whose result came before pseudonyms were kept gets its records' pseudonym from the data shown.
                viewed.Add((session.Id, session.SubjectPseudonym ?? await pseudonyms.OfAttributesAsync(tenantTag, attributes, ct)));
            }

            views.Add(new ContactView(
                session.Id,
                session.Channel,
                PurposeLabel(tenant, session.Purpose, english),
                session.State,
                attributes.Select(a => (AttributeLabels.Plain(a.Key, english), AttributeValues.Shown(a.Key, a.Value, english))).ToList(),
                result.Status == AuthStatus.Failed,
                result.Signer?.Name,
                testData,
                testData ? null : link,
                testData && link is not null,
                takenBy,
                session.CreatedAt,
                session.AgentId == agent.Id,
                WebCodeOf(session, tenantTag, tenant, agent, now),
                LeaseLeft: lease,
                Over: over));
        }

        // One insert for the whole page, durable before the page is rendered: the audit is a legal record.
        await AuditViewsAsync(db, agent, viewed, now, ct);
        return views;
    }

    /// <summary>
    /// Who holds each video contact: its appointment's agent (taken or assigned on the Afspraken page, planned by an
    /// agent), as the call page and its data panel decide; the session's own agent is only set once someone joins.
    /// An appointment nobody holds leaves the session's agent (if any) as the holder. Other contacts are held by their
    /// session's agent and are not in this map. With each, its end, for whether it is over. One query for the page, only
    /// when it shows a video contact.
    /// </summary>
    private static async Task<Dictionary<string, VideoBooking>> BookingsAsync(DeskDbContext db, List<ContactSession> sessions, CancellationToken ct)
    {
        var video = sessions.Where(s => s.Channel == Channels.Video).Select(s => s.Id).ToList();
        if (video.Count == 0)
        {
            return [];
        }

        var booked = await db.Appointments.AsNoTracking()
            .Where(a => video.Contains(a.SessionId) && a.Start != null && a.CancelledAt == null)
            .Select(a => new { a.SessionId, a.AgentId, a.End })
            .ToListAsync(ct);
        return booked.DistinctBy(a => a.SessionId).ToDictionary(a => a.SessionId, a => new VideoBooking(a.AgentId, a.End));
    }

    private sealed record VideoBooking(string? AgentId, DateTimeOffset? End);

    /// <summary>
    /// One statement for the whole page (same SQL on both providers, times as UTC ticks like the model's converter):
    /// a view row for each session this agent has no view of within the window (Desk:AuditViewWindowMinutes). A page
    /// whose views are all recorded writes nothing, so the overview's refreshes no longer add rows. Each row carries the
    /// session's BSN pseudonym, if any (an empty string in VALUES stands for none: an untyped NULL there troubles PostgreSQL).
    /// </summary>
    private async Task AuditViewsAsync(DeskDbContext db, Agent agent, List<(string SessionId, string? Subject)> shown, DateTimeOffset at, CancellationToken ct)
    {
        if (shown.Count == 0)
        {
            return;
        }

        var values = new List<object> { agent.Id, agent.UserName ?? "", AuditActions.View, at.UtcTicks };
        var sql = new StringBuilder("WITH \"Shown\"(\"SessionId\", \"SubjectPseudonym\") AS (VALUES ");
        foreach (var (sessionId, subject) in shown)
        {
            sql.Append(values.Count == 4 ? "({" : ", ({").Append(values.Count).Append("}, {").Append(values.Count + 1).Append("})");
            values.Add(sessionId);
            values.Add(subject ?? "");
        }

        sql.Append(") INSERT INTO \"Audit\" (\"AgentId\", \"AgentName\", \"SessionId\", \"Action\", \"At\", \"SubjectPseudonym\") ")
            .Append("SELECT {0}, {1}, \"Shown\".\"SessionId\", {2}, {3}, NULLIF(\"Shown\".\"SubjectPseudonym\", '') FROM \"Shown\"");
        var window = options.Value.Desk().AuditViewWindowMinutes;
        if (window > 0)
        {
            sql.Append(" WHERE NOT EXISTS (SELECT 1 FROM \"Audit\" WHERE \"Audit\".\"SessionId\" = \"Shown\".\"SessionId\"")
                .Append(" AND \"Audit\".\"AgentId\" = {0} AND \"Audit\".\"Action\" = {2} AND \"Audit\".\"At\" > {").Append(values.Count).Append("})");
            values.Add(at.AddMinutes(-window).UtcTicks);
        }

        await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct);
    }

    /// <summary>An agent's web identification (phone, held from the start, no call); its code only for that agent.</summary>
    private WebCodeView? WebCodeOf(ContactSession session, string tenantTag, TenantOptions tenant, Agent agent, DateTimeOffset now)
    {
        if (!Phone.WebCodes.IsIdentification(session))
        {
            return null;
        }

        var mine = session.AgentId == agent.Id;
        var live = mine && session.Code is not null && session.CodeExpiresAt > now;
        var address = tenant.Desk().WebCode.Address ?? urls.Tenant(tenantTag, "/id").Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal);
        return new WebCodeView(live ? session.Code : null, live ? session.CodeExpiresAt : null, address, mine && session.Code is not null && !live);
    }

    private sealed class PageRow
    {
        public ContactSession Session { get; init; } = null!;

        public int Total { get; init; }
    }

    private static string PurposeLabel(TenantOptions tenant, string tag, bool english)
    {
        var purpose = tenant.Purposes.FirstOrDefault(p => p.Tag == tag);
        return purpose is null ? tag : english ? purpose.NameEn ?? purpose.Name : purpose.Name;
    }
}
