using System.Threading.RateLimiting;

namespace IdContact.Desk.Sessions;

/// <summary>
/// At most a fixed number of actions per key per minute: a flood is refused, not stored or passed on. With Desk:Redis
/// the count is shared by all instances (<see cref="SharedFloodCounter"/>); without it, or while Redis does not answer,
/// it is kept in this instance's memory, where a client behind a load balancer could reach the limit once per instance.
/// </summary>
public abstract class PerMinuteLimiter : IDisposable
{
    private readonly string _kind;
    private readonly Func<int> _permitsPerMinute;
    private readonly SharedFloodCounter _shared;
    private readonly PartitionedRateLimiter<string> _limiter;

    protected PerMinuteLimiter(string kind, Func<int> permitsPerMinute, SharedFloodCounter shared)
    {
        _kind = kind;
        _permitsPerMinute = permitsPerMinute;
        _shared = shared;
        _limiter = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute(),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Takes one of this minute's actions for <paramref name="id"/> (random ids only: it becomes a Redis key).</summary>
    protected async ValueTask<bool> TakeAsync(string tenant, string id)
    {
        if (await _shared.CountAsync(_kind, tenant, id) is { } count)
        {
            return count <= _permitsPerMinute();
        }

        using var lease = _limiter.AttemptAcquire($"{tenant}\n{id}");
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
