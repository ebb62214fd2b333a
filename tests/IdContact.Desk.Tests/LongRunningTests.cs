using System.Reflection;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace IdContact.Desk.Tests;

/// <summary>What a desk instance that runs for months keeps in memory stays bounded (docs/architecture.md, "Long-running instance").</summary>
public sealed class LongRunningTests
{
    [Fact]
    public async Task Failed_attempts_to_listen_for_other_instances_leave_no_handler_behind()
    {
        // Nothing listens on port 1: every attempt to subscribe fails, as with Redis away since the instance started.
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 4, 10, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var options = new IdContactOptions();
        options.Desk().Redis = "127.0.0.1:1,connectTimeout=500";
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(logs));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(Options.Create(options));
        new DeskRole().AddServices(services, options);
        await using var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<AgentHubConnections>();

        await connections.StartAsync(CancellationToken.None);
        const int Rounds = 5;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (Failures(logs) < Rounds && DateTime.UtcNow < deadline)
        {
            // Each re-check round tries again; advanced until the next failure is logged (the loop may not be waiting yet).
            var before = Failures(logs);
            clock.Advance(TimeSpan.FromSeconds(options.Desk().HubRecheckSeconds));
            for (var i = 0; i < 20 && Failures(logs) == before; i++)
            {
                await Task.Delay(100);
            }
        }

        await Bounded.WithinAsync(connections.StopAsync(CancellationToken.None), "the hub connections service's stop");
        Assert.True(Failures(logs) >= Rounds, $"only {Failures(logs)} failed attempts were logged");
        Assert.InRange(Handlers(provider.GetRequiredService<SharedFloodCounter>(), connections.Changed), 0, 1);
    }

    [Fact]
    public void The_demo_start_page_remembers_a_bounded_number_of_password_checks()
    {
        // Each password change or reset of a demo account is a new hash the start page checks once.
        var opens = typeof(DemoAgents).GetMethod("Opens", BindingFlags.Static | BindingFlags.NonPublic)!;
        var memory = (System.Collections.ICollection)typeof(DemoAgents).GetField("Checked", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        for (var i = 0; i < 1000; i++)
        {
            // An unknown format marker (0xFF): judged at once, without a slow key derivation.
            var hash = Convert.ToBase64String([0xFF, .. BitConverter.GetBytes(i)]);
            Assert.False((bool)opens.Invoke(null, [hash, "password"])!);
        }

        Assert.InRange(memory.Count, 1, 100);
    }

    private static int Failures(CapturingLoggerProvider logs) => logs.Messages.Count(m => m.Contains("Not listening for other instances", StringComparison.Ordinal));

    /// <summary>The handlers the Redis client holds for the channel (its own count; no public API says it).</summary>
    private static int Handlers(SharedFloodCounter shared, RedisChannel channel)
    {
        var connection = (Task<ConnectionMultiplexer>)typeof(SharedFloodCounter)
            .GetProperty("Connection", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(shared)!;
        object?[] arguments = [channel, 0, 0];
        typeof(ConnectionMultiplexer).GetMethod("GetSubscriberCounts", BindingFlags.Instance | BindingFlags.NonPublic)!
            .Invoke(connection.Result, arguments);
        return (int)arguments[1]!;
    }
}
