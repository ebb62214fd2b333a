using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Agents;

/// <summary>Builds the agent overview (P5, M4): decrypts attributes for display and audits every reveal (X1).</summary>
public sealed class ContactsQuery(TenantDatabases databases, OpenedResults results, TimeProvider time)
{
    /// <param name="callId">Only the contact of this call (the embeddable per-call page), or all incoming contacts.</param>
    /// <param name="sessionId">Only this session (a chat's data panel).</param>
    public async Task<List<ContactView>> IncomingAsync(string tenantTag, TenantOptions tenant, Agent agent, bool english, string? callId, CancellationToken ct, string? sessionId = null)
    {
        await using var db = databases.Open(tenantTag);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.State != ContactState.Waiting && (callId == null || s.CallId == callId) && (sessionId == null || s.Id == sessionId))
            .OrderBy(s => s.CreatedAt)
            .Take(200)
            .ToListAsync(ct);
        var agentIds = sessions.Where(s => s.AgentId != null).Select(s => s.AgentId!).Distinct().ToList();
        var names = await db.Users.Where(u => agentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

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

        await db.SaveChangesAsync(ct);
        return views;
    }

    private static string PurposeLabel(TenantOptions tenant, string tag, bool english)
    {
        var purpose = tenant.Purposes.FirstOrDefault(p => p.Tag == tag);
        return purpose is null ? tag : english ? purpose.NameEn ?? purpose.Name : purpose.Name;
    }
}
