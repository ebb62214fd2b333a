using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>
/// At most <see cref="PerMinute"/> catch-ups (<c>ChatHub.Lines</c>) per chat per minute (installation-wide with Redis).
/// The page asks every Desk:AgentRefreshSeconds and on reconnecting; one answer is up to 1000 lines, each decrypted, so
/// a client asking in a loop would make the desk decrypt and send far more than any page request costs.
/// </summary>
public sealed class ChatLinesFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("lines", () => PerMinute(options.Value.Desk().AgentRefreshSeconds), shared)
{
    /// <summary>Three pages' pace (tabs, reconnects), and at least 60.</summary>
    public static int PerMinute(int refreshSeconds) => 3 * Math.Max(60 / refreshSeconds, 20);

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}
