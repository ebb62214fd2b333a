using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace IdContact.Desk.Health;

/// <summary>What the desk needs to serve requests: every tenant's database, the keys, and Redis when configured.</summary>
public static class DeskHealthChecks
{
    public const string Ready = "ready";

    public static void Add(IServiceCollection services, DeskOptions desk)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<TenantDatabasesCheck>("desk-databases", tags: [Ready])
            .AddCheck<DeskKeysCheck>("desk-keys", tags: [Ready]);
        if (!string.IsNullOrEmpty(desk.Redis))
        {
            var redis = desk.Redis;
            services.AddSingleton(sp => new RedisCheck(redis, sp.GetRequiredService<DeskMetrics>()));
            checks.AddCheck<RedisCheck>("desk-redis", tags: [Ready]);
        }
    }

    /// <summary>Every tenant's database answers (names the tenants that do not; never a connection string).</summary>
    private sealed class TenantDatabasesCheck(TenantDatabases databases) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var down = new List<string>();
            foreach (var tenant in databases.Tenants)
            {
                await using var db = databases.Open(tenant);
                if (!await CanConnectAsync(db, cancellationToken))
                {
                    down.Add(tenant);
                }
            }

            return down.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"No database connection for: {string.Join(", ", down)}.");
        }

        private static async Task<bool> CanConnectAsync(DeskDbContext db, CancellationToken ct)
        {
            try
            {
                return await db.Database.CanConnectAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>The decryption and verification keys are loaded.</summary>
    private sealed class DeskKeysCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var keys = services.GetRequiredService<DeskKeys>();
                return Task.FromResult(keys.Trusted.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No trusted key."));
            }
            catch (Exception e) when (e is Protocol.Keys.KeyLoadException or InvalidOperationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The desk keys could not be loaded."));
            }
        }
    }

    /// <summary>
    /// The SignalR backplane answers a PING; one connection, made on first use and kept. Without it each instance still
    /// serves its own pages (deploy/two-instances.md), so it is "degraded" (200), not "unhealthy": a load balancer that
    /// took every instance out over a Redis outage would stop the whole installation.
    /// </summary>
    private sealed class RedisCheck(string configuration, DeskMetrics metrics) : IHealthCheck, IDisposable
    {
        private readonly SemaphoreSlim _connecting = new(1, 1);
        private ConnectionMultiplexer? _redis;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var redis = await ConnectAsync();
                await redis.GetDatabase().PingAsync();
                metrics.RedisProbed(true);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                metrics.RedisProbed(false);
                return HealthCheckResult.Degraded("Redis does not answer: live updates reach the pages on this instance only.");
            }
        }

        public void Dispose()
        {
            _redis?.Dispose();
            _connecting.Dispose();
        }

        private async Task<ConnectionMultiplexer> ConnectAsync()
        {
            await _connecting.WaitAsync();
            try
            {
                if (_redis is null)
                {
                    var options = ConfigurationOptions.Parse(configuration);
                    options.AbortOnConnectFail = false;
                    options.ConnectTimeout = 2000;
                    // While it is down a PING fails at once instead of waiting out the 5 s command timeout.
                    options.BacklogPolicy = BacklogPolicy.FailFast;
                    _redis = await ConnectionMultiplexer.ConnectAsync(options);
                }

                return _redis;
            }
            finally
            {
                _connecting.Release();
            }
        }
    }
}
