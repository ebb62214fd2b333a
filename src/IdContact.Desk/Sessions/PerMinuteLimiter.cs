using System.Threading.RateLimiting;

namespace IdContact.Desk.Sessions;

/// <summary>
/// At most a fixed number of actions per key per minute, in this instance's memory: a flood is refused, not stored or
/// passed on. Behind a load balancer without sticky sessions a client could reach the limit once per instance.
/// </summary>
public abstract class PerMinuteLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    protected PerMinuteLimiter(Func<int> permitsPerMinute) =>
        _limiter = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute(),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    protected bool TryTake(string key)
    {
        using var lease = _limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
