using IdContact.Desk.Sessions;

namespace IdContact.Desk.Chat;

/// <summary>
/// At most <see cref="PerMinute"/> catch-ups (<c>ChatHub.Lines</c>) per chat per minute (installation-wide with Redis).
/// The page asks every Desk:Chat refresh interval and on reconnecting; one answer is up to 1000 lines, each decrypted,
/// so a client asking in a loop would make the desk decrypt and send far more than any page request costs.
/// </summary>
public sealed class ChatLinesFlood(SharedFloodCounter shared) : PerMinuteLimiter("lines", () => PerMinute, shared)
{
    /// <summary>Far above the page's pace (a few a minute), with room for several tabs and reconnects.</summary>
    public const int PerMinute = 60;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}
