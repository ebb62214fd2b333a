using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>The steps of a chat that change state, each followed by telling the pages that care (resident, agent, overview).</summary>
public sealed class ChatFlow(ChatStore store, ChatEvents events, ContactNotifier notifier, TenantDatabases databases, IOptions<IdContactOptions> options)
{
    /// <summary>The resident is on the chat page: a waiting chat joins the queue, or goes straight to an agent with AutoAssign.</summary>
    public async Task ArriveAsync(string tenant, ContactSession session, CancellationToken ct)
    {
        if (!await store.EnqueueAsync(tenant, session.Id, ct))
        {
            return;
        }

        if (options.Value.Tenants[tenant].Desk().Chat.AutoAssign && await AutoAssignAsync(tenant, session.Id, ct) is { } agent)
        {
            await JoinedAsync(tenant, session.Id, agent, ChatKinds.Joined, ct);
            await events.ChatsChangedAsync(tenant, agent.Id);
        }

        await events.QueueChangedAsync(tenant);
        await notifier.ChangedAsync(tenant);
    }

    /// <summary>
    /// The least busy available agent takes the chat. The one picked may refuse in the instant between the pick and the take
    /// (another new chat filled their last place, they went away, their account was deleted): then the next one is asked.
    /// A few tries, not a loop: a chat nobody took stays in the queue, where every agent sees it.
    /// </summary>
    private async Task<Agent?> AutoAssignAsync(string tenant, string id, CancellationToken ct)
    {
        const int Tries = 3;
        var refused = new List<string>(Tries);
        while (refused.Count < Tries && await store.LeastBusyAvailableAsync(tenant, refused, ct) is { } agent)
        {
            var outcome = await store.TakeAsync(tenant, id, agent, ct);
            if (outcome == TakeOutcome.Taken)
            {
                return agent;
            }

            refused.Add(agent.Id);
        }

        return null;
    }

    public async Task<TakeOutcome> TakeAsync(string tenant, string id, Agent agent, CancellationToken ct)
    {
        var outcome = await store.TakeAsync(tenant, id, agent, ct);
        if (outcome == TakeOutcome.Taken)
        {
            await JoinedAsync(tenant, id, agent, ChatKinds.Joined, ct);
            await events.QueueChangedAsync(tenant);
            await notifier.ChangedAsync(tenant);
        }

        return outcome;
    }

    /// <summary>
    /// "Next from the queue": the agent takes the chat that waits longest, first come first served as the residents' places
    /// say. A colleague may take it in the same instant; then the next one is tried, a few times.
    /// </summary>
    public async Task<(TakeOutcome Outcome, string? Id)> TakeNextAsync(string tenant, Agent agent, CancellationToken ct)
    {
        const int Tries = 3;
        for (var tried = 0; tried < Tries; tried++)
        {
            if (await store.FirstQueuedAsync(tenant, ct) is not { } id)
            {
                return (TakeOutcome.Empty, null);
            }

            var outcome = await TakeAsync(tenant, id, agent, ct);
            if (outcome != TakeOutcome.Gone)
            {
                return (outcome, id);
            }
        }

        return (TakeOutcome.Gone, null);
    }

    public async Task<Agent?> TransferAsync(string tenant, string id, Agent from, string toAgentId, CancellationToken ct)
    {
        var to = await store.TransferAsync(tenant, id, from, toAgentId, ct);
        if (to is not null)
        {
            await JoinedAsync(tenant, id, to, ChatKinds.Transferred, ct);
            await events.ChatsChangedAsync(tenant, from.Id);
            await events.ChatsChangedAsync(tenant, to.Id);
            await notifier.ChangedAsync(tenant);
        }

        return to;
    }

    /// <summary>
    /// Chats handed back at their agent's deletion (<see cref="ChatStore.ReleaseAsync"/>, committed): each resident and the
    /// colleague who has it now see the lines, the resident the new status; the queue and the lists move.
    /// </summary>
    public async Task HandedBackAsync(string tenant, string fromAgentId, IReadOnlyList<HandedBackChat> chats)
    {
        foreach (var chat in chats)
        {
            foreach (var line in chat.Lines)
            {
                await events.LineAsync(tenant, chat.Id, chat.To?.Id, line);
            }

            await events.StatusAsync(tenant, chat.Id);
            if (chat.To is not null)
            {
                await events.ChatsChangedAsync(tenant, chat.To.Id);
            }
        }

        if (chats.Count > 0)
        {
            await events.ChatsChangedAsync(tenant, fromAgentId);
            await events.QueueChangedAsync(tenant);
        }
    }

    /// <summary>
    /// Stores and pushes a typed line, to the resident and to the agent who holds the chat as it is stored (the store
    /// says who: the caller need not look the chat up first). Null when the chat has ended.
    /// </summary>
    public async Task<ChatLine?> SayAsync(string tenant, string sessionId, string clientId, string sender, string? agentName, string text, CancellationToken ct)
    {
        if (await store.StoreAsync(tenant, sessionId, clientId, sender, ChatKinds.Text, agentName, text, ct) is not { } stored)
        {
            return null;
        }

        await events.LineAsync(tenant, sessionId, stored.AgentId, stored.Line);
        return stored.Line;
    }

    /// <summary>Ends the chat for both sides: everything is deleted at once, both pages are told.</summary>
    public async Task EndAsync(string tenant, ContactSession session, CancellationToken ct)
    {
        if (await store.EndAsync(tenant, session.Id, ct))
        {
            await events.EndedAsync(tenant, session.Id, session.AgentId);
            if (session.AgentId is not null)
            {
                await events.ChatsChangedAsync(tenant, session.AgentId);
            }

            await events.QueueChangedAsync(tenant);
            await notifier.ChangedAsync(tenant);
        }
    }

    /// <summary>A result arrived at the chat's attr_url: the agent's data panel and both conversations show it.</summary>
    public async Task ResultArrivedAsync(string tenant, string id, bool success, CancellationToken ct)
    {
        var session = await store.FindAsync(tenant, id, ct);
        if (session is null || session.State == ContactState.Waiting)
        {
            // Identification at start: the chat is not on anyone's screen yet.
            return;
        }

        var line = await store.AddEventAsync(tenant, id, success ? ChatKinds.Identified : ChatKinds.IdentifyFailed, null, ct);
        if (line is not null)
        {
            await events.LineAsync(tenant, id, session.AgentId, line);
        }

        await events.DetailsChangedAsync(tenant, id, session.AgentId);
    }

    public async Task<string> AgentNameAsync(string tenant, string agentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await db.Users.Where(u => u.Id == agentId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
    }

    private async Task JoinedAsync(string tenant, string id, Agent agent, string kind, CancellationToken ct)
    {
        var session = await store.FindAsync(tenant, id, ct);
        var line = await store.AddEventAsync(tenant, id, kind, agent.DisplayName, ct);
        if (line is not null && session is not null)
        {
            await events.LineAsync(tenant, id, session.AgentId, line);
        }

        await events.StatusAsync(tenant, id);
    }
}
