using System.Security.Claims;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>
/// An agent's real-time connection for chats: only chats this agent holds, in the tenant of the sign-in. The open page
/// also renews the agent's presence lease (<see cref="Renew"/>).
/// </summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class AgentChatHub(ChatStore store, ChatFlow flow, ChatEvents events, ChatFlood flood, AgentTypingFlood typing, ChatTypingFlood presenceAsks, AgentReadsFlood reads, IOptions<IdContactOptions> options) : Hub
{
    public override async Task OnConnectedAsync()
    {
        // The policy already tied the agent's tenant claim to the route's tenant.
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatEvents.AgentGroup(Tenant, AgentId));
        await store.RenewOnConnectAsync(Tenant, AgentId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Called by the open conversation page every Desk:Chat:PresenceRenewSeconds: the agent is still there. Past
    /// <see cref="AgentReadsFlood"/> nothing is written (the next renewal in the minute after does it).
    /// </summary>
    public async Task Renew()
    {
        if (await reads.TryTakeAsync(Tenant, AgentId))
        {
            await store.RenewAsync(Tenant, AgentId, Context.ConnectionAborted);
        }
    }

    public async Task<SendResult> Send(string sessionId, string clientId, string text)
    {
        var english = Context.GetHttpContext()!.PrefersEnglish();
        if (await MineAsync(sessionId) is not { } session)
        {
            return new SendResult(null, null, true);
        }

        if (!ChatRules.IsClientId(clientId))
        {
            return new SendResult(null, english ? "The page sent a malformed message." : "De pagina stuurde een onjuist bericht.", false);
        }

        text = ChatRules.Tidy(text);
        if (ChatRules.Refusal(text, options.Value.Desk().Chat.MaxLineBreaks, english) is { } refusal)
        {
            return new SendResult(null, refusal, false);
        }

        // The resident's limit, counted apart: a script with a stolen cookie cannot flood a resident's page either.
        if (!await flood.TryTakeAsync(Tenant, session.Id + ":agent"))
        {
            return new SendResult(null, ChatRules.TooManyMessages(english), false);
        }

        var name = await flow.AgentNameAsync(Tenant, AgentId, Context.ConnectionAborted);
        var line = await flow.SayAsync(Tenant, session.Id, clientId, "agent", name, text, Context.ConnectionAborted);
        return line is null ? new SendResult(null, null, true) : new SendResult(line, null, false);
    }

    /// <summary>Tells the resident the agent is typing; past <see cref="AgentTypingFlood"/> it is dropped before anything is read.</summary>
    public async Task Typing(string sessionId)
    {
        if (await typing.TryTakeAsync(Tenant, AgentId) && await MineAsync(sessionId) is { } session)
        {
            await events.TypingAsync(Tenant, session.Id, session.AgentId, fromResident: false);
        }
    }

    /// <summary>
    /// Lines after <paramref name="after"/> of a chat this agent holds; null when it is not (or no longer) theirs. Past
    /// <see cref="AgentReadsFlood"/> none, before anything is read (never null, which the page takes as handed on).
    /// </summary>
    public async Task<List<ChatLine>?> Lines(string sessionId, long after)
    {
        if (!await reads.TryTakeAsync(Tenant, AgentId))
        {
            return [];
        }

        return await MineAsync(sessionId) is { } session ? await store.LinesAsync(Tenant, session.Id, after, Context.ConnectionAborted) : null;
    }

    /// <summary>
    /// The agent's page opened (or reconnected) and heard no "gone" of the resident, who may have left before: the
    /// resident's pages are asked to answer <see cref="ChatHub.Here"/>, and the page says "gone" when none does. Spends
    /// from the chat's typing budget, as <c>Here</c> does, so a page asking in a loop costs no more than typing.
    /// </summary>
    public async Task AskResident(string sessionId)
    {
        if (await MineAsync(sessionId) is { } session && await presenceAsks.TryTakeAsync(Tenant, session.Id))
        {
            await events.AskPresentAsync(Tenant, session.Id);
        }
    }

    /// <summary>
    /// Whether the chat still exists, whoever holds it now. A chat no longer this agent's (<see cref="Lines"/> null) was
    /// ended, or handed on: back to the queue or to a colleague while the agent's pages were away (the laptop slept).
    /// </summary>
    /// <remarks>Past <see cref="AgentReadsFlood"/> an error, before anything is read: the page changes nothing.</remarks>
    public async Task<bool> Exists(string sessionId) =>
        await reads.TryTakeAsync(Tenant, AgentId)
            ? await store.FindAsync(Tenant, sessionId, Context.ConnectionAborted) is not null
            : throw new HubException("too-many");

    private string Tenant => Context.GetHttpContext()!.TenantTag();

    private string AgentId => Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private async Task<ContactSession?> MineAsync(string sessionId)
    {
        var session = await store.FindAsync(Tenant, sessionId, Context.ConnectionAborted);
        return session is { State: ContactState.Active } && session.AgentId == AgentId ? session : null;
    }
}
