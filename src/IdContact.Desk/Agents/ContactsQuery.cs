using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Agents;

/// <summary>One page of the agent overview: newest contacts first, and how many there are in all.</summary>
public sealed record ContactPage(IReadOnlyList<ContactView> Contacts, int Page, int Total)
{
    public int Pages => Math.Max(1, (Total + ContactsQuery.PageSize - 1) / ContactsQuery.PageSize);
}

/// <summary>
/// Builds the agent overview (P5, M4): decrypts attributes for display and audits every reveal (X1). The overview is
/// paged, so its cost stays the same however many contacts are live: one page is read, decrypted and audited.
/// </summary>
public sealed class ContactsQuery(TenantDatabases databases, OpenedResults results, TimeProvider time)
{
    /// <summary>Contacts per overview page.</summary>
    public const int PageSize = 20;

    /// <summary>At most this many contacts share one call or session (the per-call page, a chat's data panel).</summary>
    private const int MaxPerCall = 20;

    /// <summary>One page (1-based, clamped to the last) of the contacts that reached the queue, newest first.</summary>
    public async Task<ContactPage> PageAsync(string tenantTag, TenantOptions tenant, Agent agent, bool english, int page, CancellationToken ct)
    {
        await using var db = databases.Open(tenantTag);
        var incoming = db.Sessions.AsNoTracking().Where(s => s.State != ContactState.Waiting);
        var total = await incoming.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var sessions = await incoming
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip((page - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync(ct);
        return new ContactPage(await ViewsAsync(db, sessions, tenantTag, tenant, agent, english, ct), page, total);
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
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.State != ContactState.Waiting && (callId == null || s.CallId == callId) && (sessionId == null || s.Id == sessionId))
            .OrderBy(s => s.CreatedAt)
            .Take(MaxPerCall)
            .ToListAsync(ct);
        return await ViewsAsync(db, sessions, tenantTag, tenant, agent, english, ct);
    }

    /// <summary>Decrypts (once, see <see cref="OpenedResults"/>) and audits; the audit rows are committed before anything is shown.</summary>
    private async Task<List<ContactView>> ViewsAsync(
        DeskDbContext db, List<ContactSession> sessions, string tenantTag, TenantOptions tenant, Agent agent, bool english, CancellationToken ct)
    {
        var agentIds = sessions.Where(s => s.AgentId != null).Select(s => s.AgentId!).Distinct().ToList();
        var names = agentIds.Count == 0
            ? []
            : await db.Users.Where(u => agentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        var now = time.GetUtcNow();
        var views = new List<ContactView>(sessions.Count);
        foreach (var session in sessions)
        {
            var result = results.Open(tenantTag, session);
            var attributes = result.Status == AuthStatus.Success ? result.Attributes : OpenedResult.Unusable.Attributes;
            var testData = result.Signer?.IsTest == true;
            var link = ExternalLink.Fill(tenant.Desk().ExternalLinkTemplate, attributes);
            if (attributes.Count > 0)
            {
                db.Audit.Add(new AuditRecord { AgentId = agent.Id, AgentName = agent.UserName ?? "", SessionId = session.Id, Action = "view", At = now });
            }

            views.Add(new ContactView(
                session.Id,
                session.Channel,
                PurposeLabel(tenant, session.Purpose, english),
                session.State,
                attributes.Select(a => (AttributeLabels.For(a.Key, english), a.Value)).ToList(),
                result.Status == AuthStatus.Failed,
                result.Signer?.Name,
                testData,
                testData ? null : link,
                testData && link is not null,
                session.AgentId is null ? null : names.GetValueOrDefault(session.AgentId, "?"),
                session.CreatedAt,
                session.AgentId == agent.Id));
        }

        // One batched insert for the whole page, durable before the page is rendered: the audit is a legal record.
        await db.SaveChangesAsync(ct);
        return views;
    }

    private static string PurposeLabel(TenantOptions tenant, string tag, bool english)
    {
        var purpose = tenant.Purposes.FirstOrDefault(p => p.Tag == tag);
        return purpose is null ? tag : english ? purpose.NameEn ?? purpose.Name : purpose.Name;
    }
}
