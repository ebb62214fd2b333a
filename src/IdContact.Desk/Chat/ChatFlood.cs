using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>At most Desk:ChatMessagesPerMinute resident messages per chat per minute (per instance): a flood is refused, not stored.</summary>
public sealed class ChatFlood(IOptions<IdContactOptions> options) : PerMinuteLimiter(() => options.Value.Desk().ChatMessagesPerMinute)
{
    public bool TryTake(string tenant, string sessionId) => TryTake($"{tenant}\n{sessionId}");
}
