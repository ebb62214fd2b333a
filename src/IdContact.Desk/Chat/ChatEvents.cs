using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Chat;

/// <summary>
/// Pushes chat events to the resident's page (group per chat) and to the agent holding it (group per agent), over the
/// SignalR backplane when several instances run. Message text goes only to those two; nothing here is logged.
/// </summary>
public sealed class ChatEvents(IHubContext<ChatHub> residents, IHubContext<AgentChatHub> agents, ILogger<ChatEvents> logger)
{
    public static string ChatGroup(string tenant, string sessionId) => $"chat:{tenant.ToLowerInvariant()}:{sessionId}";

    public static string QueueGroup(string tenant) => "chat-queue:" + tenant.ToLowerInvariant();

    public static string AgentGroup(string tenant, string agentId) => $"agent:{tenant.ToLowerInvariant()}:{agentId}";

    public Task LineAsync(string tenant, string sessionId, string? agentId, ChatLine line) =>
        BothAsync(tenant, sessionId, agentId, "line", sessionId, line);

    public Task TypingAsync(string tenant, string sessionId, string? agentId, bool fromResident) => fromResident
        ? agentId is null ? Task.CompletedTask : SafeAsync(agents.Clients.Group(AgentGroup(tenant, agentId)).SendAsync("typing", sessionId))
        : SafeAsync(residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync("typing"));

    /// <summary>The chat's state changed (taken, handed over): the resident's page asks for its status again.</summary>
    public Task StatusAsync(string tenant, string sessionId) => SafeAsync(residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync("status"));

    /// <summary>The queue moved: every waiting resident of the tenant asks for its place again.</summary>
    public Task QueueChangedAsync(string tenant) => SafeAsync(residents.Clients.Group(QueueGroup(tenant)).SendAsync("status"));

    public Task EndedAsync(string tenant, string sessionId, string? agentId) => BothAsync(tenant, sessionId, agentId, "ended", sessionId, null);

    /// <summary>Retention deleted the chat (no activity for Desk:RetentionMinutes): both pages close it and say why.</summary>
    public Task DeletedAsync(string tenant, string sessionId, string? agentId) => BothAsync(tenant, sessionId, agentId, "deleted", sessionId, null);

    /// <summary>The agent's proven-data panel should be fetched again (a result arrived).</summary>
    public Task DetailsChangedAsync(string tenant, string sessionId, string? agentId) =>
        agentId is null ? Task.CompletedTask : SafeAsync(agents.Clients.Group(AgentGroup(tenant, agentId)).SendAsync("details", sessionId));

    /// <summary>A chat was handed to this agent, or taken away: the agent's chat list changes.</summary>
    public Task ChatsChangedAsync(string tenant, string agentId) => SafeAsync(agents.Clients.Group(AgentGroup(tenant, agentId)).SendAsync("chats"));

    /// <summary>
    /// The resident's page connected (true) or its last connection on an instance went (false): only that, no address
    /// or anything else of the resident. The agent's page waits Desk:Chat:ResidentGoneSeconds before saying "left".
    /// </summary>
    public Task ResidentAsync(string tenant, string sessionId, string? agentId, bool connected) =>
        agentId is null ? Task.CompletedTask : SafeAsync(agents.Clients.Group(AgentGroup(tenant, agentId)).SendAsync("resident", sessionId, connected));

    /// <summary>Asks the chat's remaining resident pages (other tabs, other instances) to say they are still there.</summary>
    public Task AskPresentAsync(string tenant, string sessionId) => SafeAsync(residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync("present"));

    public Task IdentifyAsync(string tenant, string sessionId) => SafeAsync(residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync("identify"));

    private Task BothAsync(string tenant, string sessionId, string? agentId, string method, string id, ChatLine? line)
    {
        var toResident = line is null ? residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync(method) : residents.Clients.Group(ChatGroup(tenant, sessionId)).SendAsync(method, line);
        var toAgent = agentId is null ? Task.CompletedTask : agents.Clients.Group(AgentGroup(tenant, agentId)).SendAsync(method, id, line);
        return SafeAsync(Task.WhenAll(toResident, toAgent));
    }

    private async Task SafeAsync(Task send)
    {
        try
        {
            await send;
        }
        catch (Exception e)
        {
            // The backplane may be down for a moment; pages catch up when they reconnect (they ask for lines after their last).
            logger.LogWarning("Could not push a chat event: {Error}", e.GetType().Name);
        }
    }
}
