using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>
/// Every endpoint of the embedded demo (all roles), as routing lists it, answers bad input with a 4xx (a problem document
/// for the API, a problem or an escaped page otherwise), never a 5xx, never a crash and never a half-written session.
/// </summary>
public class BadInputSweepTests(ITestOutputHelper output)
{
    /// <summary>
    /// On the demo's SQLite files and once more with its desk (both municipalities and the installation database) on
    /// PostgreSQL, which refuses what SQLite stores (a NUL in text) and checks lengths itself.
    /// </summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_endpoint_answers_bad_input_with_a_4xx_problem_or_an_escaped_page_and_never_a_5xx(string provider)
    {
        var log = new SweepLog();
        await using var postgres = provider == "Postgres" ? await SweepPostgres.CreateAsync() : null;
        await using var server = await RunningServer.StartAsync(logging => logging.AddProvider(log), postgres?.Arguments ?? []);
        var endpoints = SweptEndpoint.All(server.App.Services);
        foreach (var endpoint in endpoints)
        {
            output.WriteLine($"{endpoint} api={endpoint.Api} hub={endpoint.Hub} authorized={endpoint.Authorized} query={string.Join(",", endpoint.QueryNames)}");
        }

        // The list is the routing table's, so it holds every kind of route: protocol, pages, hubs and their negotiation.
        Assert.True(endpoints.Count > 80, $"only {endpoints.Count} endpoints found");
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/start" && e.Api);
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/chat/hub/negotiate" && e.Hub);
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/desk/admin/" && e.Authorized);
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/chat/c/{capability}" && !e.Api);

        var input = new HostileInput(Path.Combine(server.DataDirectory, "keys"));
        var live = await LiveValuesAsync(server, input);
        var sweeper = new Sweeper(input, live.For);
        var hubs = new HubSweeper(server.BaseUrl, live.For);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var anonymous = await SweepCaller.StrangerAsync(server, Sweeper.TenantA);
        using var core = SweepCaller.Core(server);
        using var agent = await SweepCaller.AgentAsync(server, Sweeper.TenantA);
        using var admin = await SweepCaller.AdminAsync(server, Sweeper.TenantA);
        var signedIn = endpoints.Where(e => e.Authorized).ToList();
        Assert.NotEmpty(signedIn);

        // The markup the set-up's call proved is on the agent's pages, as text: the sweep's marker check has something to find.
        var callPage = await agent.Client.GetStringAsync($"/{Sweeper.TenantA}/desk/calls/{CallId}");
        Assert.Contains(WebUtility.HtmlEncode(HostileInput.Script), callPage, StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        var before = await RowsAsync(server);
        log.Recording = true;

        // Hubs first, while the live chat still lives (the HTTP sweep's resident may end it with its capability).
        await hubs.SweepAsync(anonymous, endpoints, timeout.Token);
        await hubs.SweepAsync(agent, endpoints, timeout.Token);

        // Strangers and our own core: nothing they send wrongly may leave a session, a booking or an account behind.
        await sweeper.SweepAsync(anonymous, endpoints, timeout.Token);
        await sweeper.SweepAsync(core, endpoints, timeout.Token);
        foreach (var row in (await RowsAsync(server)).Except(before))
        {
            sweeper.Findings.Enqueue($"a bad request of a stranger, the core or a hub call left {row}");
        }

        // A signed-in agent and an administrator of tenant A, on the routes behind a sign-in, with and without antiforgery.
        await sweeper.SweepAsync(agent, signedIn, timeout.Token);
        await sweeper.SweepAsync(admin, signedIn, timeout.Token);
        log.Recording = false;

        output.WriteLine($"{endpoints.Count} endpoints, {sweeper.Sent} requests and {hubs.Calls} hub calls in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var (answer, count) in sweeper.Statuses.Concat(hubs.Outcomes).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{answer} ×{count}");
        }

        // Still serving, every check green.
        var ready = await server.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("healthy", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var findings = sweeper.Findings.Concat(hubs.Findings).Concat(log.Errors.Select(e => "log: " + e)).ToList();
        foreach (var finding in findings)
        {
            output.WriteLine(finding);
        }

        Assert.True(findings.Count == 0, $"{findings.Count} findings, the first ones:\n" + string.Join("\n", findings.Take(40)));
    }

    /// <summary>
    /// Sessions (phone, chat, video, test conversation) made as the core would, so bad bodies reach the checks behind a
    /// real id; and a queued call that was identified with markup as its proven data.
    /// </summary>
    private static async Task<LiveValues> LiveValuesAsync(RunningServer server, HostileInput input)
    {
        async Task<(string ClientUrl, string AttrUrl)> StartAsync(string method)
        {
            var response = await server.Client.PostAsJsonAsync($"/{Sweeper.TenantA}/{method}/start_communication", new { purpose = "report_move" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (body.GetProperty("client_url").GetString()!, body.GetProperty("attr_url").GetString()!);
        }

        static string Last(string url) => new Uri(url, UriKind.Absolute).Segments.Last();

        var phone = await StartAsync("phone");
        var chat = await StartAsync("chat");
        var video = await StartAsync("video");
        var test = await StartAsync("comm-test");

        // A queued call whose proven data is markup: the agent's overview and per-call page must show it as text.
        var call = await StartAsync("phone");
        var accepted = await server.Client.PostAsync(call.AttrUrl, new StringContent(input.MarkupResult, Encoding.ASCII, "application/jwt"));
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        using var identify = new HttpRequestMessage(HttpMethod.Post, $"/{Sweeper.TenantA}/exchange/identify")
        {
            Content = JsonContent.Create(new { code = call.ClientUrl.Split(",,")[1], call_id = CallId, caller = "+31612345678" }),
        };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Hosting.DemoConfiguration.DemoExchangeKey);
        var matched = await server.Client.SendAsync(identify);
        Assert.Equal("matched", (await matched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());

        return new LiveValues(Last(phone.AttrUrl), Last(chat.AttrUrl), Last(chat.ClientUrl), Last(video.AttrUrl), Last(video.ClientUrl), Last(test.AttrUrl));
    }

    private const string CallId = "sweep-call";

    /// <summary>
    /// Rows a bad request could leave behind, per tenant database: a session, an appointment, an e-mail, an account. (A live
    /// chat's capability may legitimately end it, so rows may go; none may come.)
    /// </summary>
    private static async Task<HashSet<string>> RowsAsync(RunningServer server)
    {
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        var rows = new HashSet<string>();
        foreach (var tenant in new[] { Sweeper.TenantA, Sweeper.TenantB })
        {
            await using var db = databases.Open(tenant);
            rows.UnionWith((await db.Sessions.Select(s => s.Id).ToListAsync()).Select(id => $"{tenant} session {id}"));
            rows.UnionWith((await db.Appointments.Select(a => a.Id).ToListAsync()).Select(id => $"{tenant} appointment {id}"));
            rows.UnionWith((await db.Outbox.Select(m => m.Id).ToListAsync()).Select(id => $"{tenant} e-mail {id}"));
            rows.UnionWith((await db.Users.Select(u => u.Id).ToListAsync()).Select(id => $"{tenant} account {id}"));
        }

        return rows;
    }

    private sealed record LiveValues(string PhoneId, string ChatId, string ChatCapability, string VideoId, string VideoToken, string TestId)
    {
        public string? For(string route, string parameter) => parameter switch
        {
            "purpose" => "report_move",
            "capability" => ChatCapability,
            "token" => VideoToken,
            "sessionId" => VideoId,
            "callId" => CallId,
            "name" when route.Contains("/static/", StringComparison.Ordinal) => "phone",
            "name" when route.Contains("desk-assets", StringComparison.Ordinal) => "overview.js",
            "id" when route.Contains("/chat", StringComparison.Ordinal) => ChatId,
            "id" when route.Contains("/video/", StringComparison.Ordinal) => VideoId,
            "id" when route.Contains("/comm-test/", StringComparison.Ordinal) => TestId,
            "id" when route.Contains("/phone/", StringComparison.Ordinal) || route.Contains("/contacts/", StringComparison.Ordinal)
                || route.Contains("/identify/", StringComparison.Ordinal) => PhoneId,
            _ => null,
        };
    }
}
