using IdContact.Desk.Chat;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Sessions;

/// <summary>
/// At most <see cref="PerMinute"/> <c>IdentifyMethods</c> per chat or call per minute (installation-wide with Redis).
/// While identification is asked for, each answer costs two reads and a request to the core's session_options; the
/// pages ask once per request of the agent (and the call page once on opening).
/// </summary>
public sealed class IdentifyMethodsFlood(SharedFloodCounter shared) : PerMinuteLimiter("identify-methods", () => PerMinute, shared)
{
    public const int PerMinute = 20;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}

/// <summary>
/// At most <see cref="PerMinute"/> <c>ChatHub.Status</c> per chat per minute (installation-wide with Redis): the page asks
/// with every catch-up (<see cref="ChatLinesFlood"/>) and every time the tenant's queue moves.
/// </summary>
public sealed class ChatStatusFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("status", () => PerMinute(options.Value.Desk().AgentRefreshSeconds), shared)
{
    /// <summary>The catch-ups' budget plus one queue move a second, which only the busiest queue comes near.</summary>
    public static int PerMinute(int refreshSeconds) => ChatLinesFlood.PerMinute(refreshSeconds) + 60;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}

/// <summary>
/// At most <see cref="PerMinute"/> "typing" notices per agent per minute (installation-wide with Redis): the page sends
/// one every two seconds of typing at most; a script with a stolen cookie would push one to a resident per call.
/// </summary>
public sealed class AgentTypingFlood(SharedFloodCounter shared) : PerMinuteLimiter("agent-typing", () => PerMinute, shared)
{
    /// <summary>Two pages' pace.</summary>
    public const int PerMinute = 2 * ChatTypingFlood.PerMinute;

    public ValueTask<bool> TryTakeAsync(string tenant, string agentId) => TakeAsync(tenant, agentId);
}

/// <summary>
/// At most <see cref="PerMinute"/> greetings (<c>AgentVideoHub.Hello</c>) per call per minute passed on to the resident
/// (installation-wide with Redis). Each makes the resident's page answer "ready" and send its camera state; the agent's
/// page greets on opening, on reconnecting and every 5 seconds while Redis is down.
/// </summary>
public sealed class VideoHelloFlood(SharedFloodCounter shared) : PerMinuteLimiter("video-hello", () => PerMinute, shared)
{
    public const int PerMinute = 20;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}

/// <summary>
/// At most <see cref="PerMinute"/> <c>VideoHub.Waiting</c> per call per minute (installation-wide with Redis): each is a
/// few reads; the waiting room asks on connecting and every Desk:Chat:PresenceRenewSeconds.
/// </summary>
public sealed class VideoWaitingFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("video-waiting", () => PerMinute(options.Value.Desk().Chat.PresenceRenewSeconds), shared)
{
    /// <summary>The page's pace plus reconnects.</summary>
    public static int PerMinute(int renewSeconds) => (60 / renewSeconds) + 20;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}

/// <summary>
/// At most <see cref="PerMinute"/> of an agent's own reads per minute over the agents' hubs (installation-wide with
/// Redis): <c>AgentChatHub.Lines</c> (up to 1000 lines decrypted), <c>AgentChatHub.Exists</c>, both hubs' <c>Renew</c>
/// (a conditional update) and <c>AgentVideoHub.SlotNotice</c> (a few reads). A page renews, and the chat page catches up, every Desk:Chat:PresenceRenewSeconds, when it
/// is shown again and on reconnecting; only a script calling in a loop comes near this.
/// </summary>
public sealed class AgentReadsFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("agent-reads", () => PerMinute(options.Value.Desk().Chat.PresenceRenewSeconds), shared)
{
    /// <summary>Ten open pages at their pace (a renewal and a catch-up each), plus a tab shown again every second; at least 300.</summary>
    public static int PerMinute(int renewSeconds) => Math.Max(300, (10 * 2 * (60 / renewSeconds)) + 120);

    public ValueTask<bool> TryTakeAsync(string tenant, string agentId) => TakeAsync(tenant, agentId);
}
