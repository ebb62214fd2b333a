using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Keys;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace IdContact.Desk.Tests;

/// <summary>
/// The chat and video flood limits hold across desk instances sharing Redis (Desk:Redis), as behind a load balancer
/// without sticky sessions; with Redis unreachable each instance still counts in its own memory and nothing fails.
/// </summary>
public sealed class SharedFloodLimitTests
{
    private const int ChatPerMinute = 3;
    private const int SignalsPerMinute = 10;

    private static string Redis => Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set: run the tests with scripts/test.sh.");

    [Fact]
    public async Task A_residents_messages_to_one_chat_spread_over_two_instances_are_refused_past_the_limit_in_total()
    {
        await using var pair = await Pair.StartAsync(Redis);
        var capability = await pair.StartChatAsync();
        var first = await ChatAsync(pair.First, pair.Tenant, capability);
        await using var firstDisposal = first.DisposedBounded();
        var second = await ChatAsync(pair.Second, pair.Tenant, capability);
        await using var secondDisposal = second.DisposedBounded();
        using var firstCounted = new LimitRefusalsTests.Refusals(pair.First.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var secondCounted = new LimitRefusalsTests.Refusals(pair.Second.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await WholeWindowAsync();

        var errors = new List<string?>();
        for (var i = 0; i < 2 * ChatPerMinute; i++)
        {
            var result = await (i % 2 == 0 ? first : second).InvokeAsync<JsonElement>("Send", Guid.NewGuid().ToString("N"), $"Bericht {i}");
            errors.Add(result.GetProperty("error").GetString());
        }

        Assert.Equal(ChatPerMinute, errors.Count(e => e is null));
        Assert.All(errors.Skip(ChatPerMinute), e => Assert.Equal("U stuurt te veel berichten; wacht een minuut.", e));

        // The page without script counts in the same window.
        var refused = await pair.First.Client.PostAsync($"/{pair.Tenant}/chat/c/{capability}/send", Form("Zonder script"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        // Each refusal counted once, on the instance that refused it, as the Redis count decided.
        Assert.Equal([.. Enumerable.Repeat((pair.Tenant, "chat_messages"), ChatPerMinute + 1)], [.. firstCounted.All, .. secondCounted.All]);
    }

    [Fact]
    public async Task A_residents_video_signals_spread_over_two_instances_are_refused_past_the_limit_in_total()
    {
        await using var pair = await Pair.StartAsync(Redis);
        var link = await pair.PlanCallAsync();
        var first = await VideoAsync(pair.First, pair.Tenant, link);
        await using var firstDisposal = first.DisposedBounded();
        var second = await VideoAsync(pair.Second, pair.Tenant, link);
        await using var secondDisposal = second.DisposedBounded();
        await WholeWindowAsync();

        var answers = new List<string?>();
        for (var i = 0; i < 2 * SignalsPerMinute; i++)
        {
            answers.Add(await (i % 2 == 0 ? first : second).InvokeAsync<string?>("Signal", "candidate", $"{{\"n\":{i}}}"));
        }

        Assert.Equal(SignalsPerMinute, answers.Count(a => a is null));
        Assert.All(answers.Skip(SignalsPerMinute), a => Assert.Equal("too-many", a));
    }

    [Fact]
    public async Task With_the_limiters_redis_unreachable_messages_pass_up_to_the_per_instance_limit_and_nothing_fails()
    {
        var address = Redis.Split(':');
        await using var relay = TcpRelay.Start(address[0], int.Parse(address[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var pair = await Pair.StartAsync($"127.0.0.1:{relay.Port}");
        var capability = await pair.StartChatAsync();
        var first = await ChatAsync(pair.First, pair.Tenant, capability);
        await using var firstDisposal = first.DisposedBounded();
        relay.Stop();

        // Each instance counts alone now: the limit on each, the rest refused, none failed. (Every message that passes
        // waits for the backplane's own timeout to push it, so the hub sends to one instance, the page without script
        // to the other.)
        var errors = new List<string?>();
        for (var i = 0; i <= ChatPerMinute; i++)
        {
            var result = await first.InvokeAsync<JsonElement>("Send", Guid.NewGuid().ToString("N"), $"Bericht {i}");
            errors.Add(result.GetProperty("error").GetString());
        }

        Assert.Equal([.. Enumerable.Repeat<string?>(null, ChatPerMinute), "U stuurt te veel berichten; wacht een minuut."], errors);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= ChatPerMinute; i++)
        {
            statuses.Add((await pair.Second.Client.PostAsync($"/{pair.Tenant}/chat/c/{capability}/send", Form($"Zonder script {i}"))).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.SeeOther, ChatPerMinute), HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains(pair.Logs.Messages, m => m.Contains("count per instance for now", StringComparison.Ordinal));
        Assert.DoesNotContain(pair.Logs.Messages, m => m.Contains(capability, StringComparison.Ordinal));

        // Redis back: counting goes back there by itself (the key names the tenant and the chat's random id only).
        relay.Resume();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var pattern = $"idcontact:flood:chat:{pair.Tenant}:*";
        var again = await pair.StartChatAsync();
        for (var tries = 0; !redis.GetServers()[0].Keys(pattern: pattern).Any(); tries++)
        {
            Assert.True(tries < 60, "the flood counter did not go back to Redis");
            var sent = await pair.First.Client.PostAsync($"/{pair.Tenant}/chat/c/{again}/send", Form($"Weer {tries}"));
            Assert.True(sent.StatusCode is HttpStatusCode.SeeOther or HttpStatusCode.TooManyRequests, sent.StatusCode.ToString());
            await Task.Delay(500);
        }

        var key = redis.GetServers()[0].Keys(pattern: pattern).Single().ToString();
        Assert.Matches($"^idcontact:flood:chat:{pair.Tenant}:[A-Za-z0-9_-]+:[0-9]+$", key);
        Assert.DoesNotContain(again, key, StringComparison.Ordinal);
        Assert.True(await redis.GetDatabase().KeyTimeToLiveAsync(key) is { } ttl && ttl > TimeSpan.Zero, "the window's key expires");
    }

    [Fact]
    public async Task An_administrators_reset_on_one_instance_closes_the_agents_listening_hub_connection_on_the_other_at_once()
    {
        await using var pair = await Pair.StartAsync(Redis);
        var databases = pair.First.App.Services.GetRequiredService<TenantDatabases>();
        await DeskAgent.CreateAsync(databases, pair.Tenant, "beheerder", isAdmin: true);
        await DeskAgent.CreateAsync(databases, pair.Tenant, "anna");
        await DeskAgent.CreateAsync(databases, pair.Tenant, "bert");
        using var admin = new DeskAgent(new Uri(pair.First.BaseUrl), pair.Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await admin.SignInAsync("beheerder")).StatusCode);
        using var anna = new DeskAgent(new Uri(pair.Second.BaseUrl), pair.Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await anna.SignInAsync("anna")).StatusCode);
        using var bert = new DeskAgent(new Uri(pair.Second.BaseUrl), pair.Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await bert.SignInAsync("bert")).StatusCode);
        var annas = await AgentHubAsync(pair.Second, pair.Tenant, anna);
        await using var annasDisposal = annas.DisposedBounded();
        var berts = await AgentHubAsync(pair.Second, pair.Tenant, bert);
        await using var bertsDisposal = berts.DisposedBounded();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        annas.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        // Reset on the first instance; Anna's connection on the second makes no call and its re-check is minutes away.
        var id = (await DeskAgent.FindAsync(databases, pair.Tenant, "anna"))!.Id;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{id}/reset")).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Connected, berts.State);
        await berts.InvokeAsync("Renew");
    }

    private static async Task<HubConnection> AgentHubAsync(RunningServer server, string tenant, DeskAgent agent)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{tenant}/desk/hub", o => o.Cookies = agent.CookieJar).Build();
        await connection.StartAsync();
        // Answered only once the connection is let in and known to its instance.
        await connection.InvokeAsync("Renew");
        return connection;
    }

    /// <summary>
    /// Redis counts in windows of the clock's minute: a loop that must stay inside one starts with time to spare, so
    /// a new minute cannot reset the count halfway.
    /// </summary>
    private static async Task WholeWindowAsync()
    {
        var second = DateTimeOffset.UtcNow.Second;
        if (second > 40)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - second));
        }
    }

    private static FormUrlEncodedContent Form(string text) =>
        new(new Dictionary<string, string> { ["text"] = text, ["client_id"] = Guid.NewGuid().ToString("N") });

    private static async Task<HubConnection> ChatAsync(RunningServer server, string tenant, string capability)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{tenant}/chat/hub?c={capability}").Build();
        await connection.StartAsync();
        // Answered only once the hub's OnConnectedAsync (joining the chat's group, over Redis) is done.
        Assert.NotNull(await connection.InvokeAsync<JsonElement?>("Status"));
        return connection;
    }

    private static async Task<HubConnection> VideoAsync(RunningServer server, string tenant, string link)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{tenant}/video/hub?l={link}").Build();
        await connection.StartAsync();
        Assert.True(await connection.InvokeAsync<bool>("Ready"));
        return connection;
    }

    /// <summary>Two desk instances of one installation (one PostgreSQL installation database, one data directory) on one Redis.</summary>
    private sealed record Pair(RunningServer First, RunningServer Second, string Tenant, TestPostgres Databases, string Data, CapturingLoggerProvider Logs) : IAsyncDisposable
    {

        public static async Task<Pair> StartAsync(string redis)
        {
            var tenant = "flood" + Guid.NewGuid().ToString("N")[..8];
            var databases = new TestPostgres(tenant);
            var data = Directory.CreateTempSubdirectory("idcontact-flood-").FullName;
            var config = Path.Combine(data, "config.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                Demo = true,
                Roles = "desk",
                Desk = new
                {
                    DatabaseProvider = "Postgres",
                    PostgresConnectionString = DeskServer.Postgres,
                    databases.InstallationDatabase,
                    Redis = redis,
                    DecryptionKey = PrivateKey.Generate(KeyType.Rsa).ToConfig(),
                    ChatMessagesPerMinute = ChatPerMinute,
                    Mail = new { Host = DeskServer.SmtpHost, Port = DeskServer.SmtpPort, StartTls = false, From = "Gemeente Test <noreply@gemeente.example>" },
                    Video = new { SignalsPerMinute },
                    // Not within a test: an agent's connection on the other instance closes by the Redis message alone.
                    HubRecheckSeconds = 300,
                },
                Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant("flood-exchange-key-0123456789abcdef", "+31206666666") },
            }));
            var logs = new CapturingLoggerProvider();
            RunningServer? first = null;
            try
            {
                first = await RunningServer.StartAsync(l => l.AddProvider(logs), "--config", config, "--data", data);
                return new Pair(first, await RunningServer.StartAsync(l => l.AddProvider(logs), "--config", config, "--data", data), tenant, databases, data, logs);
            }
            catch
            {
                if (first is not null)
                {
                    await first.DisposeAsync();
                }

                await databases.DisposeAsync();
                throw;
            }
        }

        /// <summary>A chat started as the core would, on the first instance: its capability.</summary>
        public async Task<string> StartChatAsync()
        {
            var response = await First.Client.PostAsJsonAsync($"/{Tenant}/chat/start_communication", new { purpose = "report_move" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!.Split('/')[^1];
        }

        /// <summary>A video call planned for now with a new agent: the resident's link token.</summary>
        public async Task<string> PlanCallAsync()
        {
            var databases = First.App.Services.GetRequiredService<TenantDatabases>();
            await DeskAgent.CreateAsync(databases, Tenant, "eva");
            var agent = (await DeskAgent.FindAsync(databases, Tenant, "eva"))!;
            var appointments = ActivatorUtilities.CreateInstance<Video.AppointmentStore>(First.App.Services, TimeProvider.System);
            var booked = await appointments.PlanAsync(Tenant, "report_move", "video@example.nl", DateTimeOffset.UtcNow, agent.Id, CancellationToken.None);
            return booked.Link.Split('/')[^1];
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
            await Databases.DisposeAsync();
            Directory.Delete(Data, recursive: true);
        }
    }
}
