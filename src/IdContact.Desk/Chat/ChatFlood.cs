using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>At most Desk:ChatMessagesPerMinute resident messages per chat per minute (installation-wide with Redis): a flood is refused, not stored.</summary>
public sealed class ChatFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("chat", () => options.Value.Desk().ChatMessagesPerMinute, shared)
{
    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}
