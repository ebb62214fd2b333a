using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tenants.Migrations;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>
/// kill -9 of one of two instances (real processes of the built server, one PostgreSQL database, Redis) while phone flows
/// run against both: no session is lost or half-written, requests to the killed instance fail at the client as connection
/// errors, and the other instance goes on. Like a load balancer, the client sends a step cut off by the kill to the other
/// instance.
/// </summary>
public class InstanceKillTests(ITestOutputHelper output)
{
    private const string PluginKey = "kill-test-plugin-key-0123456789abcdef";
    private const string ExchangeKey = "kill-test-exchange-key-0123456789abc";
    private const int Flows = 60;
    private const int Concurrency = 10;

    [Fact]
    public async Task Killing_one_of_two_instances_mid_run_loses_no_session_and_leaves_none_half_written()
    {
        var tenant = "kill" + Guid.NewGuid().ToString("N")[..8];
        await using var databases = new TestPostgres(); // one installation database for both instances, as one installation
        var data = Directory.CreateTempSubdirectory("idcontact-kill-").FullName;
        var deskKey = PrivateKey.Generate(KeyType.Rsa);
        var signer = PrivateKey.Generate(KeyType.Rsa);
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Logging = new { LogLevel = new { Default = "Warning" } },
            Desk = new
            {
                DatabaseProvider = "Postgres",
                PostgresConnectionString = DeskServer.Postgres,
                databases.InstallationDatabase,
                Redis = Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
                    ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set: run the tests with scripts/test.sh."),
                ApiKey = PluginKey, // one key for both instances, as the core knows one
                DecryptionKey = deskKey.ToConfig(),
                VerificationKeys = new[] { new { Type = "RSA", Key = signer.PublicKey.ToPem(), Name = "Yivi", Test = false } },
            },
            Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant(ExchangeKey, "+31205555555", wrongCodesPerCaller: 1000) },
        }));
        try
        {
            await RunAsync(tenant, databases, data, config, signer, deskKey.PublicKey);
        }
        finally
        {
            // The servers are gone by now (disposed inside); their data directory holds keys and logs only.
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task RunAsync(string tenant, TestPostgres databases, string data, string config, PrivateKey signer, PublicKey deskKey)
    {
        await using var tenantDb = ScratchDatabase.AttachPostgres(TenantDatabases.DatabaseName(tenant));
        string[] args = ["--config", config, "--data", data, .. RunningServer.NoRateLimits];
        await using var survivor = await ServerProcess.StartAsync(args);
        await using var victim = await ServerProcess.StartAsync(args);
        await tenantDb.InsertAsync("AspNetUsers", tenantDb.AgentRow("eva", DeskAgent.Password));
        using var agent = new DeskAgent(new Uri(survivor.BaseUrl), tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync("eva")).StatusCode);

        using var run = new Run(tenant, survivor, victim, agent, signer, deskKey);
        var gate = new SemaphoreSlim(Concurrency);
        var tasks = Enumerable.Range(0, Flows).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // A third into the run, with flows in flight on both instances.
                if (i == Flows / 3)
                {
                    run.Kill();
                }

                return await run.FlowAsync(i);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var flows = await Task.WhenAll(tasks);

        // What the database holds afterwards, read directly.
        var options = new DbContextOptionsBuilder<DeskDbContext>().UseNpgsql(tenantDb.ConnectionString).Options;
        List<Sessions.ContactSession> rows;
        await using (var db = new PostgresDeskDbContext(options))
        {
            rows = await db.Sessions.AsNoTracking().ToListAsync();
        }

        var claimed = await ClaimedAsync(databases, rows.Where(r => r.ResultKey is not null).Select(r => r.ResultKey!).ToList());
        var byId = rows.ToDictionary(r => r.Id);
        var complete = flows.Count(f => byId.TryGetValue(f.SessionId!, out var s) && IsComplete(s, f));
        var flowSessions = flows.Select(f => f.SessionId).ToHashSet();
        var orphans = rows.Where(r => !flowSessions.Contains(r.Id)).ToList();
        var halfWritten = rows.Where(r => !IsConsistent(r)).Select(r => r.Id).ToList();

        output.WriteLine($"flows: {Flows}, {Concurrency} at a time; instance {victim.Id} killed (SIGKILL) when flow {Flows / 3} began");
        output.WriteLine($"starts answered 2xx: {flows.Count(f => f.StartedOn == "victim")} by the killed instance, {flows.Count(f => f.StartedOn == "survivor")} by the survivor");
        output.WriteLine($"requests to the killed instance cut by the kill or refused after it: {run.Cut.Count} ({string.Join(", ", run.Cut.GroupBy(c => c).Select(g => $"{g.Key} {g.Count()}"))}), all connection errors at the client");
        output.WriteLine($"unclean failures (an HTTP error or timeout instead of a connection error): {run.Unclean.Count}");
        output.WriteLine($"steps retried on the survivor after a cut: {run.Retried.Count} ({string.Join(", ", run.Retried.GroupBy(c => c).Select(g => $"{g.Key} {g.Count()}"))})");
        output.WriteLine($"results the killed instance had stored before it died (retry told so): {flows.Count(f => f.StoredByVictim)}");
        output.WriteLine($"identifications the killed instance had stored before it died (retry found the call linked): {flows.Count(f => f.LinkedByVictim)}");
        output.WriteLine($"sessions complete (result stored as posted, call linked, secret set, claimed installation-wide) and seen by the agent: {complete} of {Flows}");
        output.WriteLine($"orphan sessions (start cut before its answer; waiting, never given out): {orphans.Count}");
        output.WriteLine($"half-written sessions: {halfWritten.Count}; results stored but not claimed: {rows.Count(r => r.ResultKey is not null && !claimed.Contains(r.ResultKey))}");

        Assert.True(run.Unclean.IsEmpty, string.Join("\n", run.Unclean) + "\n" + survivor.Output);
        Assert.True(run.Cut.Count > 0, "the kill cut no request: the test proved nothing");
        Assert.Equal(Flows, complete);
        Assert.Empty(halfWritten);
        Assert.All(orphans, o => Assert.Equal(Sessions.ContactState.Waiting, o.State));
        Assert.True(orphans.Count <= run.Cut.Count(c => c == "start"), $"{orphans.Count} sessions nobody started");
        Assert.All(rows.Where(r => r.ResultKey is not null), r => Assert.Contains(r.ResultKey!, claimed));
        Assert.Equal(rows.Count(r => r.ResultToken is not null), rows.Where(r => r.ResultToken is not null).Select(r => r.ResultToken).Distinct().Count());
    }

    /// <summary>Every step done: the result stored is the one this flow posted, the call linked, the code gone.</summary>
    private static bool IsComplete(Sessions.ContactSession s, Flow f) =>
        s.State == Sessions.ContactState.Queued && s.CallId == f.CallId && s.SecretHash is not null && s.Code is null
        && s.ResultToken == f.Token && s.ResultKey is not null && f.SeenByAgent;

    /// <summary>A row in a state some complete sequence of steps leaves, and no other.</summary>
    private static bool IsConsistent(Sessions.ContactSession s) =>
        (s.ResultToken is null) == (s.ResultKey is null) && s.State switch
        {
            Sessions.ContactState.Waiting => s.Code is not null && s.CodeExpiresAt is not null && s.SecretHash is null && s.CallId is null,
            Sessions.ContactState.Queued => s.Code is null && s.SecretHash is not null && s.CallId is not null,
            _ => false,
        };

    private static async Task<HashSet<string>> ClaimedAsync(TestPostgres databases, List<string> keys)
    {
        await using var connection = new NpgsqlConnection(databases.InstallationConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Key\" FROM \"UsedResults\" WHERE \"Key\" = ANY(@keys)", connection);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var claimed = new HashSet<string>();
        while (await reader.ReadAsync())
        {
            claimed.Add(reader.GetString(0));
        }

        return claimed;
    }

    private sealed class Flow(int number)
    {
        public string CallId { get; } = "kill-call-" + number;

        public string Caller { get; } = "+3162" + number.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

        public string Instance { get; set; } = number % 2 == 0 ? "survivor" : "victim";

        public string? StartedOn { get; set; }

        public string? SessionId { get; set; }

        public string? Code { get; set; }

        public string? Token { get; set; }

        public bool StoredByVictim { get; set; }

        public bool LinkedByVictim { get; set; }

        public bool SeenByAgent { get; set; }
    }

    /// <summary>The clients and the tallies of one run.</summary>
    private sealed class Run(string tenant, ServerProcess survivor, ServerProcess victim, DeskAgent agent, PrivateKey signer, PublicKey deskKey) : IDisposable
    {
        private readonly Dictionary<string, HttpClient> _clients = new()
        {
            ["survivor"] = new HttpClient { BaseAddress = new Uri(survivor.BaseUrl), Timeout = TimeSpan.FromSeconds(60) },
            ["victim"] = new HttpClient { BaseAddress = new Uri(victim.BaseUrl), Timeout = TimeSpan.FromSeconds(60) },
        };

        private volatile bool _killed;

        public ConcurrentBag<string> Cut { get; } = [];

        public ConcurrentBag<string> Retried { get; } = [];

        public ConcurrentBag<string> Unclean { get; } = [];

        public void Dispose()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }

        public void Kill()
        {
            _killed = true;
            victim.Kill();
        }

        public async Task<Flow> FlowAsync(int number)
        {
            var flow = new Flow(number);
            var start = await SendAsync(flow, "start", () => new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/phone/start_communication")
            {
                Content = JsonContent.Create(new { purpose = "report_move" }),
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", PluginKey) },
            });
            flow.StartedOn = flow.Instance;
            var session = await start.Content.ReadFromJsonAsync<JsonElement>();
            flow.Code = session.GetProperty("client_url").GetString()!.Split(",,")[1];
            flow.SessionId = new Uri(session.GetProperty("attr_url").GetString()!).Segments[^1];

            flow.Token = AuthResultToken.Issue(
                AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = "Inwoner " + flow.CallId, ["bsn"] = "999993653" }), signer, deskKey, DateTimeOffset.UtcNow);
            // The killed instance may have stored the result just before it died: the retry is then told so (409), and
            // the database check below proves the stored result is this one.
            await SendAsync(flow, "result", () => new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/phone/attr/{flow.SessionId}")
            {
                Content = new StringContent(flow.Token, Encoding.ASCII, "application/jwt"),
            }, acceptAfterRetry: body => flow.StoredByVictim = body.Contains("Result already received", StringComparison.Ordinal));

            var retriedBefore = Retried.Count(r => r == "identify");
            var identify = await SendAsync(flow, "identify", () => new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/identify")
            {
                Content = JsonContent.Create(new { code = flow.Code, call_id = flow.CallId, caller = flow.Caller }),
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ExchangeKey) },
            });
            var result = (await identify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString();
            // The killed instance may have swapped the code for the secret just before it died: the retry then finds the
            // code used; the call is linked all the same, which the agent's page shows below.
            flow.LinkedByVictim = result == "wrong_code" && flow.Instance == "survivor" && Retried.Count(r => r == "identify") > retriedBefore;
            if (result != "matched" && !flow.LinkedByVictim)
            {
                Unclean.Add($"flow {number}: identify answered {result}");
            }

            var page = await agent.GetAsync($"/desk/contacts?call={flow.CallId}");
            flow.SeenByAgent = page.IsSuccessStatusCode && (await page.Content.ReadAsStringAsync()).Contains("Inwoner " + flow.CallId, StringComparison.Ordinal);
            return flow;
        }

        /// <summary>Sends on the flow's instance; a connection error there after the kill moves the flow to the survivor.</summary>
        private async Task<HttpResponseMessage> SendAsync(Flow flow, string step, Func<HttpRequestMessage> request, Func<string, bool>? acceptAfterRetry = null)
        {
            var retried = false;
            while (true)
            {
                HttpResponseMessage response;
                try
                {
                    response = await _clients[flow.Instance].SendAsync(request());
                }
                catch (HttpRequestException) when (flow.Instance == "victim" && _killed)
                {
                    Cut.Add(step);
                    Retried.Add(step);
                    flow.Instance = "survivor";
                    retried = true;
                    continue;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Unclean.Add($"{step} on the {flow.Instance}: {e.GetType().Name} {e.Message}");
                    throw;
                }

                var body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode && !(retried && acceptAfterRetry?.Invoke(body) == true))
                {
                    Unclean.Add($"{step} on the {flow.Instance}: HTTP {(int)response.StatusCode} {body}");
                    response.EnsureSuccessStatusCode();
                }

                return response;
            }
        }
    }
}
