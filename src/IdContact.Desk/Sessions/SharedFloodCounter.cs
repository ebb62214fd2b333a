using IdContact.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IdContact.Desk.Sessions;

/// <summary>
/// The flood limits' counts in Redis (Desk:Redis, which every desk instance shares), so a limit holds across instances:
/// one fixed one-minute window per key, counted and given its expiry in one round trip. Keys carry the installation's
/// prefix (<see cref="RedisNames"/>), the tenant tag and random session ids only. Null answers mean "count in this
/// instance's memory": no Redis configured, or Redis down or slower than <see cref="Timeout"/>; a hub call is never
/// failed or held up by it.
/// </summary>
public sealed class SharedFloodCounter : IHostedService, IDisposable
{
    /// <summary>Well under the backplane's own timeout (5 s): a flood check must not hold up a message.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    // INCR and, for a new window, its expiry: atomic in Redis, one round trip.
    private const string Script = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    private static readonly RedisValue[] Expiry = [(long)TimeSpan.FromMinutes(2).TotalMilliseconds];

    private readonly Task<ConnectionMultiplexer>? _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedFloodCounter> _logger;
    private readonly IOptions<IdContactOptions> _options;
    private readonly DeskMetrics _metrics;
    private long _lastWarning = long.MinValue;

    public SharedFloodCounter(IOptions<IdContactOptions> options, TimeProvider time, ILogger<SharedFloodCounter> logger, DeskMetrics metrics)
    {
        _time = time;
        _logger = logger;
        _options = options;
        _metrics = metrics;
        if (options.Value.Desk().Redis is { Length: > 0 } configuration)
        {
            var redis = ConfigurationOptions.Parse(configuration);
            // The prefix goes into the names themselves (RedisNames), so the connection adds none of its own.
            Prefix = RedisNames.Prefix(configuration);
            redis.ChannelPrefix = default;
            // Connects in the background and reconnects by itself: checks count in memory until it is there.
            redis.AbortOnConnectFail = false;
            redis.AsyncTimeout = (int)Timeout.TotalMilliseconds;
            redis.SyncTimeout = (int)Timeout.TotalMilliseconds;
            redis.ClientName = "idcontact-flood";
            _redis = ConnectionMultiplexer.ConnectAsync(redis);
        }
    }

    /// <summary>What this installation's keys and channels start with (<see cref="RedisNames"/>).</summary>
    internal string Prefix { get; } = RedisNames.DefaultPrefix;

    /// <summary>The instances' shared Redis connection (null without Desk:Redis), also for AgentHubConnections' messages.</summary>
    internal Task<ConnectionMultiplexer>? Connection => _redis;

    /// <summary>This minute's count for the key after counting one, or null when it must be counted in memory.</summary>
    public async ValueTask<long?> CountAsync(string kind, string tenant, string id)
    {
        if (_redis is null)
        {
            return null;
        }

        try
        {
            // The first checks wait for the connection that DI started, but never longer than a check may take.
            var redis = await _redis.WaitAsync(Timeout);
            if (!redis.IsConnected)
            {
                Warn(tenant, "not connected");
                return null;
            }

            var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
            RedisKey[] key = [$"{Prefix}:flood:{kind}:{tenant}:{id}:{minute}"];
            return (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, key, Expiry).WaitAsync(Timeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Warn(tenant, e.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// Counts one refusal of a limit in <c>idcontact.desk.limit_refusals</c>: the limit's name and the tenant only when it
    /// is a configured one (the hubs' tenants are; anything else is counted as "unknown"), so the series stay bounded.
    /// </summary>
    public void Refused(string limit, string tenant) =>
        _metrics.LimitRefused(_options.Value.Tenants.ContainsKey(tenant) ? tenant.ToLowerInvariant() : "unknown", limit);

    /// <summary>Started with the host, so the connection is there before the first message (the constructor made it).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Warn(string tenant, string why)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last != long.MinValue && _time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1))
            || Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
        {
            return;
        }

        _logger.LogWarning("Flood limits of tenant {Tenant} count per instance for now: Redis did not answer ({Why})", tenant, why);
    }

    // A connection still being made is closed once it is there.
    public void Dispose() => _redis?.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
}
