using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace IdContact.Desk.Tests;

/// <summary>
/// Two installations on one Redis (a test and a production installation) with the same tenant tag: the channelPrefix=
/// of Desk:Redis keeps the SignalR backplane's channels, the hub re-check channel and the flood counts apart.
/// </summary>
public sealed class RedisPrefixTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2031, 3, 4, 10, 0, 30, TimeSpan.Zero));

    private static string Redis => Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set: run the tests with scripts/test.sh.");

    [Fact]
    public async Task Installations_sharing_one_redis_keep_channels_and_flood_counts_apart_by_their_channel_prefix()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var test = Installation($"{Redis},channelPrefix=test-{run}");
        await using var production = Installation($"{Redis},channelPrefix=prod-{run}");
        await using var plain = Installation(Redis);

        Assert.Equal($"test-{run}", test.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration.ChannelPrefix.ToString());
        Assert.Equal($"prod-{run}", production.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration.ChannelPrefix.ToString());
        Assert.Equal("idcontact", plain.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration.ChannelPrefix.ToString());
        Assert.Equal($"test-{run}:hub-recheck", test.GetRequiredService<AgentHubConnections>().Changed.ToString());
        Assert.Equal($"prod-{run}:hub-recheck", production.GetRequiredService<AgentHubConnections>().Changed.ToString());
        Assert.Equal("idcontact:hub-recheck", plain.GetRequiredService<AgentHubConnections>().Changed.ToString());

        // The same tenant and chat id in the same minute: each installation counts under its own prefix.
        var minute = Clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        await CountOnceAsync(test.GetRequiredService<SharedFloodCounter>(), run);
        await CountOnceAsync(production.GetRequiredService<SharedFloodCounter>(), run);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var db = redis.GetDatabase();
        Assert.True(await db.KeyExistsAsync($"test-{run}:flood:chat:a:{run}:{minute}"));
        Assert.True(await db.KeyExistsAsync($"prod-{run}:flood:chat:a:{run}:{minute}"));
        Assert.False(await db.KeyExistsAsync($"idcontact:flood:chat:a:{run}:{minute}"));
    }

    /// <summary>Counts in Redis: a null answer (still connecting on a loaded machine) is tried again.</summary>
    private static async Task CountOnceAsync(SharedFloodCounter counter, string id)
    {
        for (var i = 0; i < 100 && await counter.CountAsync("chat", "a", id) is null; i++)
        {
            await Task.Delay(100);
        }
    }

    private static ServiceProvider Installation(string redis)
    {
        var options = new IdContactOptions();
        options.Desk().Redis = redis;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Options.Create(options));
        new DeskRole().AddServices(services, options);
        return services.BuildServiceProvider();
    }
}
