using System.Diagnostics.Metrics;
using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>
/// <c>idcontact.desk.limit_refusals</c> (docs/operations.md): each refusal of a flood limit is counted once, by the
/// limit's name and the tenant, and a call under the limit counts nothing.
/// </summary>
public sealed class LimitRefusalsTests
{
    private const string Tenant = "gemeente-limieten";

    /// <summary>Every limiter, driven alone past its edge: one refusal under its own name, none before it.</summary>
    [Fact]
    public async Task Every_flood_limit_counts_its_first_refusal_once_under_its_own_name_and_nothing_before()
    {
        var options = new IdContactOptions();
        options.Tenants[Tenant] = new TenantOptions();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        new DeskRole().AddServices(services, options);
        await using var provider = services.BuildServiceProvider();
        using var counted = new Refusals(provider.GetRequiredService<IMeterFactory>());
        var id = Guid.NewGuid().ToString("N");
        var limits = new (string Name, Func<string, ValueTask<bool>> Take)[]
        {
            ("chat_messages", t => provider.GetRequiredService<ChatFlood>().TryTakeAsync(t, id)),
            ("chat_typing", t => provider.GetRequiredService<ChatTypingFlood>().TryTakeAsync(t, id)),
            ("chat_lines", t => provider.GetRequiredService<ChatLinesFlood>().TryTakeAsync(t, id)),
            ("chat_status", t => provider.GetRequiredService<ChatStatusFlood>().TryTakeAsync(t, id)),
            ("identify_methods", t => provider.GetRequiredService<IdentifyMethodsFlood>().TryTakeAsync(t, id)),
            ("agent_typing", t => provider.GetRequiredService<AgentTypingFlood>().TryTakeAsync(t, id)),
            ("agent_reads", t => provider.GetRequiredService<AgentReadsFlood>().TryTakeAsync(t, id)),
            ("video_hello", t => provider.GetRequiredService<VideoHelloFlood>().TryTakeAsync(t, id)),
            ("video_waiting", t => provider.GetRequiredService<VideoWaitingFlood>().TryTakeAsync(t, id)),
            ("video_ready", t => provider.GetRequiredService<VideoReadyFlood>().TryTakeAsync(t, id)),
            ("video_media", t => provider.GetRequiredService<VideoMediaFlood>().TryTakeAsync(t, id, true)),
            ("video_signals", t => provider.GetRequiredService<VideoFlood>().TryTakeAsync(t, id, true)),
        };

        foreach (var (name, take) in limits)
        {
            var taken = 0;
            while (await take(Tenant))
            {
                Assert.Empty(counted.All);
                Assert.True(++taken < 10_000, name + " never refused");
            }

            Assert.True(taken > 0, name + " refused its first call");
            Assert.Equal([(Tenant, name)], counted.All);
            counted.Clear();
        }

        // A tenant that is not configured is never a tag value of its own.
        while (await limits[0].Take("made-up"))
        {
        }

        Assert.Equal([("unknown", "chat_messages")], counted.All);
    }

    /// <summary>The refusals this service provider's meter counts (by tenant and limit), and what else each carried.</summary>
    internal sealed class Refusals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Tenant, string Limit)> _all = [];

        public Refusals(IMeterFactory scope, string instrument = "idcontact.desk.limit_refusals")
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Scope == scope && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var named = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
                // Only these two tags, ever: no resident, session, code or address.
                Assert.Equal(["limit", "tenant"], named.Keys.Order());
                Assert.Equal(1, value);
                lock (_all)
                {
                    _all.Add((named["tenant"]!, named["limit"]!));
                }
            });
            _listener.Start();
        }

        public List<(string Tenant, string Limit)> All
        {
            get
            {
                lock (_all)
                {
                    return [.. _all];
                }
            }
        }

        public void Clear()
        {
            lock (_all)
            {
                _all.Clear();
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>A resident's messages over the real hub: the refusals past the limit are counted under the tenant, the rest not.</summary>
public abstract class LimitRefusalsHubTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task A_residents_messages_past_the_limit_are_counted_as_refusals_of_the_tenant_and_those_under_it_not()
    {
        using var counted = new LimitRefusalsTests.Refusals(desk.Server.App.Services.GetRequiredService<IMeterFactory>());
        var (clientUrl, _) = await desk.StartChatAsync(desk.TenantA);
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        await resident.StartAsync();
        var limit = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().ChatMessagesPerMinute;

        for (var i = 0; i < limit; i++)
        {
            var sent = await resident.InvokeAsync<JsonElement>("Send", $"counted-{i}", "bericht " + i);
            Assert.Equal(JsonValueKind.Null, sent.GetProperty("error").ValueKind);
        }

        Assert.DoesNotContain(counted.All, c => c.Tenant == desk.TenantA);
        for (var i = 0; i < 3; i++)
        {
            var sent = await resident.InvokeAsync<JsonElement>("Send", $"refused-{i}", "bericht");
            Assert.Equal(ChatRules.TooManyMessages(false), sent.GetProperty("error").GetString());
        }

        Assert.Equal([.. Enumerable.Repeat((desk.TenantA, "chat_messages"), 3)], counted.All.Where(c => c.Tenant == desk.TenantA));
    }
}

public sealed class SqliteLimitRefusalsHubTests(SqliteDeskServer desk) : LimitRefusalsHubTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresLimitRefusalsHubTests(PostgresDeskServer desk) : LimitRefusalsHubTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
