using System.Linq.Expressions;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Sessions;

/// <summary>An agent takes a queued call or chat: the one conditional update and audit record both channels share.</summary>
public static class QueuedTake
{
    /// <summary>
    /// Only a queued contact can be taken, and only once: the state check is part of the update, so of agents taking at
    /// once exactly one gets it. The take and its audit record commit together, or neither does. False when it was not
    /// queued (any more), or the agent's account was deleted since it was read (the contact stays in the queue).
    /// </summary>
    /// <param name="channel">What else the contact must be for this take (a chat under the agent's maximum; a call with its call id).</param>
    /// <param name="first">Run first in the transaction (a chat locks the agent's chat slots, so the maximum in <paramref name="channel"/> holds).</param>
    public static async Task<bool> ClaimAsync(
        DeskDbContext db, string id, Expression<Func<ContactSession, bool>> channel, Agent agent, DateTimeOffset now, CancellationToken ct,
        Func<Task>? first = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        int taken;
        try
        {
            if (first is not null)
            {
                await first();
            }

            taken = await db.Sessions.Where(s => s.Id == id && s.State == ContactState.Queued).Where(channel)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, agent.Id).SetProperty(s => s.LastActivityAt, now), ct);
        }
        catch (Exception e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            return false;
        }

        if (taken == 0)
        {
            return false;
        }

        db.Audit.Add(AuditRecord.Of(agent, id, AuditActions.Take, now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
