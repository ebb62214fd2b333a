using IdContact.Desk.Sessions;

namespace IdContact.Desk.Chat;

/// <summary>
/// At most <see cref="PerMinute"/> "typing" notices per chat per minute from the resident (installation-wide with Redis).
/// The page sends one every two seconds at most; a hostile client calling in a loop would otherwise push one to the
/// agent's page per call, each after a database read, as fast as the connection goes.
/// </summary>
public sealed class ChatTypingFlood(SharedFloodCounter shared) : PerMinuteLimiter("typing", () => PerMinute, shared)
{
    /// <summary>The page's own pace (one notice per two seconds of typing).</summary>
    public const int PerMinute = 30;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}
