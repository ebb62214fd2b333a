using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Chat;

/// <summary>
/// Hands back the chats of an agent none of whose pages was seen for Desk:Chat:HandBackAfterMinutes (the browser closed or
/// crashed, the laptop sleeps, the network went), so their residents do not wait on nobody until retention. As at the
/// account's deletion (<see cref="ChatStore.ReleaseAsync"/>): to an available colleague with AutoAssign, else back to the
/// queue in front, with the line that a colleague takes over; audited as <see cref="AuditActions.ReleaseAbsent"/> under
/// the absent agent's name. Part of the retention sweep, on every instance: a chat is handed back once.
/// </summary>
public sealed class AbsentChatHolders(
    ChatStore chats,
    ChatFlow flow,
    ContactNotifier notifier,
    TenantDatabases databases,
    DeskMetrics metrics,
    TimeProvider time,
    ILogger<AbsentChatHolders> logger)
{
    /// <summary>One tenant's holders not seen for <paramref name="absentFor"/>; returns how many chats were handed back.</summary>
    public async Task<int> SweepAsync(string tenant, TimeSpan absentFor, CancellationToken ct)
    {
        List<Agent> absent;
        await using (var db = databases.Open(tenant))
        {
            absent = await ChatStore.AbsentHoldersAsync(db, time.GetUtcNow() - absentFor, ct);
        }

        var total = 0;
        foreach (var agent in absent)
        {
            List<HandedBackChat> handed;
            await using (var db = databases.Open(tenant))
            {
                // The hand-backs, their lines and audit records commit together, or none does.
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                handed = await chats.ReleaseAsync(db, tenant, agent, ct, AuditActions.ReleaseAbsent);
                await transaction.CommitAsync(ct);
            }

            await flow.HandedBackAsync(tenant, agent.Id, handed);
            total += handed.Count;
        }

        if (total > 0)
        {
            logger.LogInformation("Tenant {Tenant}: chats handed back as their agent was not seen for {Minutes} min: {Count}", tenant, absentFor.TotalMinutes, total);
            metrics.ChatsHandedBack(tenant, "absent", total);
            await notifier.ChangedAsync(tenant);
        }

        return total;
    }
}
