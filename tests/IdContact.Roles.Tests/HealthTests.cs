using System.Net;
using System.Text.Json;

namespace IdContact.Roles.Tests;

/// <summary>Liveness says the process answers; readiness says every tenant database and the keys do (Redis down: degraded).</summary>
public class HealthTests
{
    [Fact]
    public async Task A_working_server_is_live_and_ready_and_names_its_checks()
    {
        await using var server = await RunningServer.StartAsync();

        var live = await server.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("healthy", (await Json(live)).GetProperty("status").GetString());
        Assert.False(live.Headers.Contains("Server"), "the server names no product or version");

        var ready = await Json(await server.Client.GetAsync("/health/ready"));
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("desk-databases", checks);
        Assert.Contains("desk-keys", checks);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.DoesNotContain("idcontact_desk_redis_reachable", await server.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_redis_the_server_stays_ready_but_degraded_and_says_which_part_without_its_address()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Redis", "127.0.0.1:1,password=geheim-wachtwoord");

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
        // Each instance still serves its own pages without Redis: a load balancer must not take them all out.
        var ready = await server.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal("degraded", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        var redis = JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "desk-redis");
        Assert.Equal("degraded", redis.GetProperty("status").GetString());
        Assert.DoesNotContain("geheim-wachtwoord", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:1", body, StringComparison.Ordinal);

        // Degraded keeps the instance in rotation, so the not-ready alert stays quiet: the probe's answer is a gauge.
        Assert.Matches(@"(?m)^idcontact_desk_redis_reachable(\{[^}]*\})? 0$", await server.Client.GetStringAsync("/metrics"));
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
