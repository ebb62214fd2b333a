using System.Threading.RateLimiting;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>At most Desk:ChatMessagesPerMinute resident messages per chat per minute (per instance): a flood is refused, not stored.</summary>
public sealed class ChatFlood(IOptions<IdContactOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Desk().ChatMessagesPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryTake(string tenant, string sessionId)
    {
        using var lease = _limiter.AttemptAcquire($"{tenant}\n{sessionId}");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
