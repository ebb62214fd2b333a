using System.Threading.RateLimiting;

namespace IdContact.Desk.Sessions;

/// <summary>
/// At most a fixed number of actions per key per minute: a flood is refused, not stored or passed on. With Desk:Redis
/// the count is shared by all instances (<see cref="SharedFloodCounter"/>); without it, or while Redis does not answer,
/// it is kept in this instance's memory, where a client behind a load balancer could reach the limit once per instance.
/// Every refusal is counted here, once, in <c>idcontact.desk.limit_refusals</c> under <see cref="LimitName"/>.
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
        bool taken;
        if (await _shared.CountAsync(_kind, tenant, id) is { } count)
        {
            taken = count <= _permitsPerMinute();
        }
        else
        {
            using var lease = _limiter.AttemptAcquire($"{tenant}\n{id}");
            taken = lease.IsAcquired;
        }

        if (!taken)
        {
            _shared.Refused(LimitName(_kind), tenant);
        }

        return taken;
    }

    /// <summary>
    /// The limit's name in the refusals counter (docs/operations.md): the Redis kind, spelled as a metric tag, and the
    /// resident's chat limits named as such (their kinds predate the others and stay, so counts survive an upgrade).
    /// </summary>
    public static string LimitName(string kind) => kind switch
    {
        "chat" => "chat_messages",
        "typing" => "chat_typing",
        "lines" => "chat_lines",
        "status" => "chat_status",
        "video" => "video_signals",
        _ => kind.Replace('-', '_'),
    };

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
