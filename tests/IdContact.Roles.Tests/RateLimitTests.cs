using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Phone;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests;

/// <summary>Public endpoints are limited per client address, honouring forwarded addresses only from configured proxies.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task A_flood_of_starts_from_one_address_gets_429_problems_with_retry_after()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "3");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await Start(server)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var limited = await Start(server);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    /// <summary>
    /// Refusals are counted by limit and tenant (docs/operations.md): ours adds the tenant to ASP.NET Core's own count by
    /// policy, which the scrape carries too; requests under the limit count nothing, and no address is a tag.
    /// </summary>
    [Fact]
    public async Task Refused_starts_are_counted_by_limit_and_tenant_and_those_under_the_limit_not()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "2");
        var counted = new List<KeyValuePair<string, object?>[]>();
        var scope = server.App.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == "idcontact.http.limit_refusals")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (counted)
            {
                counted.Add(tags.ToArray());
            }
        });
        listener.Start();

        Assert.Equal(HttpStatusCode.OK, (await Start(server)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Start(server)).StatusCode);
        lock (counted)
        {
            Assert.Empty(counted);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(server)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(server)).StatusCode);
        lock (counted)
        {
            Assert.Equal(2, counted.Count);
            Assert.All(counted, tags => Assert.Equal([new("limit", "start"), new("tenant", "arnhem")], tags.OrderBy(t => t.Key)));
        }

        var scrape = await server.Client.GetStringAsync("/metrics");
        Assert.Matches("idcontact_http_limit_refusals_total\\{[^}]*limit=\"start\"[^}]*tenant=\"arnhem\"[^}]*\\} 2", scrape);
        Assert.Matches("aspnetcore_rate_limiting_requests_total\\{[^}]*aspnetcore_rate_limiting_policy=\"start\"[^}]*aspnetcore_rate_limiting_result=\"endpoint_limiter\"[^}]*\\} 2", scrape);
        Assert.All(
            scrape.Split('\n').Where(line => line.StartsWith("idcontact_http_limit_refusals", StringComparison.Ordinal)),
            line => Assert.DoesNotContain("127.0.0.1", line, StringComparison.Ordinal));
    }

    /// <summary>The limiter answers before the endpoint: its 429 on a resident's page still keeps the page's headers.</summary>
    [Fact]
    public async Task A_limited_resident_page_is_still_never_cached_sends_no_referrer_and_is_never_framed()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "1");
        HttpResponseMessage limited = null!;
        for (var i = 0; i < 2; i++)
        {
            limited = await server.Client.PostAsync("/arnhem/id", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "00000000" }));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.CacheControl?.NoStore, "no-store");
        Assert.Equal("no-referrer", Assert.Single(limited.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(limited.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    /// <summary>Each view of the code page mints a browser id with a budget of wrong codes: the views are limited per address.</summary>
    [Fact]
    public async Task The_web_code_page_has_a_limit_of_its_own_per_address_and_another_address_is_unaffected()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:WebCodePagePerMinute", "2", "--TrustedProxies:0", "127.0.0.1");
        for (var i = 0; i < 2; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await Get(server, "/arnhem/id", "203.0.113.1")).StatusCode);
        }

        var limited = await Get(server, "/arnhem/id", "203.0.113.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        // The landing after sign-in counts toward the same views.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(server, "/arnhem/id/done/anything", "203.0.113.1")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/arnhem/id", "203.0.113.2")).StatusCode);
    }

    /// <summary>A language switch mints no browser id: it uses up none of the views, unless it would mint one (no cookie).</summary>
    [Fact]
    public async Task The_web_code_pages_language_switch_uses_up_no_views_of_a_browser_that_has_its_id()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:WebCodePagePerMinute", "2", "--TrustedProxies:0", "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/arnhem/id", "203.0.113.1")).StatusCode); // mints the id: one view
        for (var i = 0; i < 4; i++)
        {
            var lang = i % 2 == 0 ? "en" : "nl";
            Assert.Equal(HttpStatusCode.OK, (await Get(server, "/arnhem/id?lang=" + lang, "203.0.113.1")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/arnhem/id", "203.0.113.1")).StatusCode); // the second view
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(server, "/arnhem/id?lang=en&x=1", "203.0.113.1")).StatusCode);

        // Without the cookie a switch would mint an id: it counts.
        using var cookieless = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Client.BaseAddress };
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Get(cookieless, "/arnhem/id?lang=en", "203.0.113.2")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(cookieless, "/arnhem/id?lang=en", "203.0.113.2")).StatusCode);

        // Round 6: Arnhem's valid cookie at Utrecht's page (its purpose names the tenant), or a forged one, is no cookie.
        var minted = (await Get(cookieless, "/arnhem/id", "203.0.113.5")).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(WebCodeBrowser.CookieName + "=", StringComparison.Ordinal));
        var arnhemCookie = minted.Split(';')[0][(WebCodeBrowser.CookieName.Length + 1)..];
        foreach (var (cookie, address) in new[] { (arnhemCookie, "203.0.113.3"), ("CfDJ8forged" + new string('A', 100), "203.0.113.4") })
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/utrecht/id?lang=en");
                request.Headers.Add("X-Forwarded-For", address);
                request.Headers.Add("Cookie", $"{WebCodeBrowser.CookieName}={cookie}");
                statuses.Add((await cookieless.SendAsync(request)).StatusCode);
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    /// <summary>
    /// Every open phone page polls its status: residents behind one address reading their codes must not use up the
    /// starts of the next resident there (a busy morning behind a carrier's NAT), nor the starts their polls.
    /// </summary>
    [Fact]
    public async Task Phone_page_status_polls_have_a_budget_of_their_own_apart_from_the_starts()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "2", "--RateLimits:PhoneStatusPerMinute", "3");
        Assert.Equal(HttpStatusCode.OK, (await Start(server)).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await server.Client.GetAsync("/arnhem/phone/status?t=x")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.Client.GetAsync("/arnhem/phone/status?t=x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Start(server)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(server)).StatusCode);
    }

    /// <summary>
    /// Capabilities cannot be guessed, but one address could open residents' connections without end: opening them (a
    /// chat's page, a hub's negotiation or WebSocket) has a budget per address; a connection's own requests do not count.
    /// </summary>
    [Fact]
    public async Task Residents_chat_pages_and_hub_doors_have_a_budget_per_address_and_a_chat_under_it_works()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:ResidentConnectionPerMinute", "3", "--TrustedProxies:0", "127.0.0.1");
        var started = await server.Client.PostAsJsonAsync("/arnhem/chat/start_communication", new { purpose = "report_move" });
        var page = new Uri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!).AbsolutePath;
        var capability = page.Split('/').Last();

        // The page (1) and a chat connection: its negotiation (2), not its WebSocket after it (which names the connection).
        Assert.Equal(HttpStatusCode.OK, (await Get(server, page, "203.0.113.1")).StatusCode);
        var hub = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/arnhem/chat/hub?c={capability}", o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.Headers["X-Forwarded-For"] = "203.0.113.1";
        }).Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await hub.InvokeAsync<JsonElement?>("Status"));
        }

        // The video hub's door counts toward the same budget (3); then the page, both doors and a negotiation that names
        // a connection to pass for one are refused with the 429 problem.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await Post(server, "/arnhem/video/hub/negotiate?negotiateVersion=1", "203.0.113.1")).StatusCode);
        foreach (var limited in new[]
        {
            await Get(server, page, "203.0.113.1"),
            await Post(server, "/arnhem/chat/hub/negotiate?negotiateVersion=1", "203.0.113.1"),
            await Post(server, "/arnhem/video/hub/negotiate?negotiateVersion=1&id=x", "203.0.113.1"),
            await Get(server, $"/arnhem/chat/hub?c={capability}", "203.0.113.1"),
        })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        // The open chat goes on; another address is not limited.
        Assert.NotNull(await hub.InvokeAsync<JsonElement?>("Status"));
        Assert.Equal(HttpStatusCode.OK, (await Get(server, page, "203.0.113.2")).StatusCode);
    }

    [Fact]
    public async Task Agent_sign_in_attempts_are_limited_per_address()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:LoginPerMinute", "2");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await server.Client.PostAsync("/arnhem/desk/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "x" }))).StatusCode);
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, statuses[1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
    }

    [Fact]
    public async Task Plugin_starts_without_the_cores_key_are_limited_and_with_it_are_not()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:PluginStartPerMinute", "2");
        using var stranger = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await stranger.PostAsync("/arnhem/phone/start_communication", Json("""{"purpose":"report_move"}"""))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("/arnhem/phone/start_communication", Json("""{"purpose":"report_move"}"""))).StatusCode);
        }
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_a_configured_proxy()
    {
        await using var behindProxy = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "1", "--TrustedProxies:0", "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, (await Start(behindProxy, "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(behindProxy, "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Start(behindProxy, "203.0.113.2")).StatusCode);

        // Without a configured proxy the header is the client's own claim: ignored, so it buys no fresh limit.
        await using var direct = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "1");
        Assert.Equal(HttpStatusCode.OK, (await Start(direct, "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(direct, "203.0.113.2")).StatusCode);
    }

    [Fact]
    public async Task An_ipv6_client_is_limited_per_64_network_so_rotating_its_address_buys_no_fresh_limit()
    {
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "1", "--TrustedProxies:0", "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, (await Start(server, "2001:db8:5:6::1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(server, "2001:db8:5:6:a:b:c:d")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Start(server, "2001:db8:5:7::1")).StatusCode);

        // An IPv4 client seen through an IPv6 socket (IPv4-mapped) is that IPv4 client.
        Assert.Equal(HttpStatusCode.OK, (await Start(server, "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Start(server, "::ffff:203.0.113.7")).StatusCode);
    }

    private static Task<HttpResponseMessage> Start(RunningServer server, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start")
        {
            Content = JsonContent.Create(new { purpose = "report_move", auth_method = "test", comm_method = "test" }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return server.Client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Get(RunningServer server, string path, string forwardedFor) => Get(server.Client, path, forwardedFor);

    private static Task<HttpResponseMessage> Get(HttpClient client, string path, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Post(RunningServer server, string path, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return server.Client.SendAsync(request);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
