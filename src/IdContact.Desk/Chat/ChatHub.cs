using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>What a send gives back to the page: the stored line, or why it was refused, or that the chat has ended.</summary>
public sealed record SendResult(ChatLine? Line, string? Error, bool Ended);

/// <summary>
/// The resident's real-time connection. It authenticates with the chat's capability (<c>?c=</c>, as in the page URL):
/// without a live chat of this tenant for it, the connection is closed. The resident reaches only that one chat.
/// </summary>
public sealed class ChatHub(ChatStore store, ChatFlow flow, ChatFlood flood, ChatTypingFlood typing, ChatLinesFlood catchUps, ChatStatusFlood statuses, IdentifyMethodsFlood methodLists, ChatEvents events, ResidentConnections connections, Identification identification, IOptions<IdContactOptions> options) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext()!;
        var tenant = http.TenantTag();
        var session = options.Value.Tenants.ContainsKey(tenant)
            ? await store.FindByCapabilityAsync(tenant, http.Request.Query["c"], Context.ConnectionAborted)
            : null;
        if (session is null)
        {
            Context.Abort();
            return;
        }

        Context.Items["tenant"] = tenant;
        Context.Items["session"] = session.Id;
        Context.Items["english"] = http.PrefersEnglish();
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatEvents.ChatGroup(tenant, session.Id));
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatEvents.QueueGroup(tenant));
        connections.Add(ChatEvents.ChatGroup(tenant, session.Id));
        await events.ResidentAsync(tenant, session.Id, session.AgentId, connected: true);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The last of the chat's connections on this instance went: the agent hears it at once, and the chat's pages on
    /// other instances are asked to answer <see cref="Here"/>. The grace (a reload, a short drop) is timed by the agent's
    /// page, not here: a return on another instance reaches that page over the backplane, but not this instance's timer.
    /// </summary>
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // Set only for a connection that was let in. Not the closing connection's token: it is cancelled now.
        if (Context.Items.ContainsKey("session") && connections.RemoveLast(ChatEvents.ChatGroup(Tenant, SessionId))
            && await store.FindAsync(Tenant, SessionId, CancellationToken.None) is { } session)
        {
            await events.ResidentAsync(Tenant, session.Id, session.AgentId, connected: false);
            await events.AskPresentAsync(Tenant, session.Id);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The page answers the <c>present</c> probe: the agent hears the resident is still connected. Shares the typing budget.</summary>
    public async Task Here()
    {
        if (await typing.TryTakeAsync(Tenant, SessionId) && await CurrentAsync() is { } session)
        {
            await events.ResidentAsync(Tenant, session.Id, session.AgentId, connected: true);
        }
    }

    /// <summary>
    /// No lookup of the chat first, as the other invocations make: storing the line is one statement that also answers
    /// "ended" when the chat is gone, and which agent to tell. So a malformed or refused message to an ended chat is
    /// answered with its refusal; the next good one learns that the chat ended.
    /// </summary>
    public async Task<SendResult> Send(string clientId, string text)
    {
        var english = (bool)Context.Items["english"]!;
        if (!ChatRules.IsClientId(clientId))
        {
            return new SendResult(null, english ? "The page sent a malformed message." : "De pagina stuurde een onjuist bericht.", false);
        }

        text = ChatRules.Tidy(text);
        if (ChatRules.Refusal(text, options.Value.Desk().Chat.MaxLineBreaks, english) is { } refusal)
        {
            return new SendResult(null, refusal, false);
        }

        if (!await flood.TryTakeAsync(Tenant, SessionId))
        {
            return new SendResult(null, ChatRules.TooManyMessages(english), false);
        }

        var line = await flow.SayAsync(Tenant, SessionId, clientId, "resident", null, text, Context.ConnectionAborted);
        return line is null ? new SendResult(null, null, true) : new SendResult(line, null, false);
    }

    /// <summary>Tells the agent the resident is typing; past the page's own pace it is dropped before anything is read.</summary>
    public async Task Typing()
    {
        if (await typing.TryTakeAsync(Tenant, SessionId) && await CurrentAsync() is { } session)
        {
            await events.TypingAsync(Tenant, session.Id, session.AgentId, fromResident: true);
        }
    }

    /// <summary>
    /// The lines after <paramref name="after"/>: what a reconnecting page missed. Null when the chat has ended. Past
    /// <see cref="ChatLinesFlood"/> none, before anything is read (not null: the page would take that as ended).
    /// </summary>
    public async Task<List<ChatLine>?> Lines(long after)
    {
        if (!await catchUps.TryTakeAsync(Tenant, SessionId))
        {
            return [];
        }

        return await CurrentAsync() is { } session ? await store.LinesAsync(Tenant, session.Id, after, Context.ConnectionAborted) : null;
    }

    /// <summary>
    /// Queue place or agent; null when the chat has ended. Past <see cref="ChatStatusFlood"/> "unchanged", before anything
    /// is read: the page keeps what it shows (never null: the page would take that as ended), and its next catch-up asks again.
    /// </summary>
    public async Task<ChatStatus?> Status()
    {
        if (!await statuses.TryTakeAsync(Tenant, SessionId))
        {
            return ChatStatus.Unchanged;
        }

        return await CurrentAsync() is { } session ? await store.StatusAsync(Tenant, session, Context.ConnectionAborted) : null;
    }

    /// <summary>
    /// The sign-in methods to offer while the agent's request for identification is open; empty otherwise, and past
    /// <see cref="IdentifyMethodsFlood"/> before anything is read or the core is asked.
    /// </summary>
    public async Task<IReadOnlyList<MethodOption>> IdentifyMethods() =>
        await methodLists.TryTakeAsync(Tenant, SessionId) && await CurrentAsync() is { } session
            ? await store.PendingMethodsAsync(identification, Tenant, session.Id, session.Purpose, (bool)Context.Items["english"]!, Context.ConnectionAborted)
            : [];

    private string Tenant => (string)Context.Items["tenant"]!;

    private string SessionId => (string)Context.Items["session"]!;

    private Task<ContactSession?> CurrentAsync() => store.FindAsync(Tenant, SessionId, Context.ConnectionAborted);
}
