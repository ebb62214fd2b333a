using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Protocol.Tokens;

namespace IdContact.Bench;

/// <summary>What one pass measured: flows/s, CPU per flow, and each step's sorted latencies (ms).</summary>
public sealed record PassResult(double FlowsPerSecond, double ProcessCpuMsPerFlow, double PostgresCpuMsPerFlow, IReadOnlyDictionary<string, double[]> Steps, double? TransactionsPerFlow = null, double? AuditRowsPerFlow = null)
{
    public double CpuMsPerFlow => ProcessCpuMsPerFlow + PostgresCpuMsPerFlow;

    public double P(string step, double p) => Steps.TryGetValue(step, out var sorted) && sorted.Length > 0
        ? sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]
        : double.NaN;
}

/// <summary>
/// Complete phone flows over HTTP, one desk session each: core start (which starts the desk's phone session and the
/// auth plugin), auth result, identify, agent fetch, call ended.
/// </summary>
public sealed class PhoneFlows(BenchServer server)
{
    public const string AgentSees = "agent sees";
    public const string AgentList = "agent list";

    /// <summary>Server requests per flow: the bench's five, and the core's two plugin starts within core start.</summary>
    public const int RequestsPerFlow = 7;
    private static readonly string[] Steps = ["core start", "auth result", "identify", AgentSees, "agent fetch", "call ended", AgentList];
    /// <summary>PostgreSQL's idle interval for statistics (10 s) and a second's margin.</summary>
    private static readonly TimeSpan StatisticsFlush = TimeSpan.FromSeconds(11);

    private readonly HttpClient _client = BenchServer.NewClient(server.BaseUrl);
    private readonly CpuMeter _cpu = new(server.Provider == "Postgres" ? [Desk.Tenants.TenantDatabases.DatabaseName(server.Tenant), server.InstallationDatabase] : []);
    private int _callNumber;

    /// <summary>Flows that failed in all runs so far: a smoke run with failures is a broken build, whatever the speed.</summary>
    public int FailedFlows { get; private set; }

    /// <summary>Runs <paramref name="count"/> flows; closed loop with <paramref name="concurrency"/> workers, or open loop at <paramref name="rate"/> flows/s.</summary>
    /// <param name="watcher">An agent's page on the hub: each flow then also waits until the agent's list shows its call.</param>
    public async Task<PassResult> RunAsync(int count, int concurrency, double? rate, bool quiet, AgentWatcher? watcher = null)
    {
        var timings = Steps.ToDictionary(s => s, _ => new ConcurrentBag<double>());
        var failures = 0;
        var gate = new SemaphoreSlim(concurrency);
        if (!quiet && server.Provider == "Postgres")
        {
            // A backend that flushed its statistics less than a second ago holds the rest until PostgreSQL's 10-second
            // idle interval: without this wait the warm-up's last transactions were counted as this pass's.
            await Task.Delay(StatisticsFlush);
        }

        var transactionsBefore = await server.PostgresTransactionsAsync();
        var auditBefore = await server.AuditRowsAsync();
        var cpuBefore = _cpu.Now();
        var (gcsBefore, pauseBefore) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
        var fetchesBefore = watcher?.FetchTimes.Count ?? 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            if (rate is { } r)
            {
                var due = TimeSpan.FromSeconds(i / r);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }

            await gate.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await OneFlowAsync(timings, watcher);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException or TimeoutException)
                {
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuAfter = _cpu.Now();
        var (gcs, pauses) = (GC.CollectionCount(0) - gcsBefore, GC.GetTotalPauseDuration() - pauseBefore);
        if (!quiet && server.Provider == "Postgres")
        {
            // Statistics reach pg_stat_database when a backend flushes them: within a second, or after the idle interval.
            await Task.Delay(StatisticsFlush);
        }

        var transactionsAfter = await server.PostgresTransactionsAsync();
        var auditRows = await server.AuditRowsAsync() - auditBefore;
        if (watcher is not null)
        {
            foreach (var fetch in watcher.FetchTimes.Skip(fetchesBefore))
            {
                timings[AgentList].Add(fetch);
            }
        }

        var done = Math.Max(1, count - failures);
        var result = new PassResult(
            (count - failures) / elapsed,
            (cpuAfter.Process - cpuBefore.Process).TotalMilliseconds / done,
            cpuAfter.PostgresSince(cpuBefore).TotalMilliseconds / done,
            timings.ToDictionary(t => t.Key, t => t.Value.Order().ToArray()),
            transactionsAfter - transactionsBefore is { } transactions ? (double)transactions / done : null,
            (double)auditRows / done);
        FailedFlows += failures;
        if (!quiet)
        {
            Print(result, elapsed, failures);
            // Latency tails on this machine are often collector pauses: shown so a p99 can be read against them.
            Console.WriteLine($"  garbage collections {gcs} ({gcs / elapsed:F1}/s), paused {pauses.TotalMilliseconds:F0} ms in all ({100 * pauses.TotalSeconds / elapsed:F1} % of the time)");
        }

        return result;
    }

    private async Task OneFlowAsync(Dictionary<string, ConcurrentBag<double>> timings, AgentWatcher? watcher)
    {
        var tenant = server.Tenant;
        var callId = "bench-" + Interlocked.Increment(ref _callNumber);

        string clientUrl = "";
        await Timed(timings["core start"], async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/start")
            {
                Content = JsonContent.Create(new { purpose = "report_move", auth_method = "test", comm_method = "phone" }),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var response = Ensure(await _client.SendAsync(request));
            clientUrl = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        });

        // The resident is now at the auth plugin (the test role's page), which holds the desk's attr_url and, as the
        // continuation, the tel: URL with the code. The bench reads both as that page would, then plays the plugin: the
        // plugin's own pages are not what is measured here.
        var (attrUrl, continuation) = server.AuthPageRequest(clientUrl);
        var code = continuation.Split(",,")[1];
        var sessionId = attrUrl[(attrUrl.LastIndexOf('/') + 1)..];

        var token = AuthResultToken.Issue(
            // Each flow is another resident: the same claims in the same second would be the same (replayed) result.
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = "Inwoner " + callId, ["bsn"] = "999993653" }),
            server.Signer, server.DeskKey, DateTimeOffset.UtcNow);
        await Timed(timings["auth result"], async () =>
            Ensure(await _client.PostAsync(attrUrl, new StringContent(token, Encoding.ASCII, "application/jwt"))));

        var shown = watcher?.ShownAsync(sessionId);
        await Timed(timings["identify"], async () =>
        {
            // Each caller has a number of its own: withheld numbers share one guess budget, in flight tries included.
            var caller = "+3161" + callId.Split('-')[1].PadLeft(7, '0');
            var result = await Exchange("identify", new { code, call_id = callId, caller });
            if (result.GetProperty("result").GetString() != "matched")
            {
                throw new InvalidOperationException("identify did not match");
            }
        });

        if (shown is not null)
        {
            // From the exchange's answer to the agent's list showing the call: the push, then the list fetch.
            var identified = Stopwatch.GetTimestamp();
            try
            {
                var at = await shown.WaitAsync(TimeSpan.FromSeconds(10));
                timings[AgentSees].Add(Math.Max(0, Stopwatch.GetElapsedTime(identified, at).TotalMilliseconds));
            }
            finally
            {
                watcher!.Forget(sessionId);
            }
        }

        await Timed(timings["agent fetch"], async () =>
        {
            var html = await Ensure(await server.Agent.GetAsync($"/{tenant}/desk/contacts?call={callId}")).Content.ReadAsStringAsync();
            if (!html.Contains("Inwoner " + callId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("agent page lacks the attributes");
            }
        });

        await Timed(timings["call ended"], async () => await Exchange("ended", new { call_id = callId }));
    }

    private async Task<JsonElement> Exchange(string action, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{server.Tenant}/exchange/{action}") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchServer.ExchangeKey);
        return await Ensure(await _client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpResponseMessage Ensure(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"HTTP {(int)response.StatusCode} from {response.RequestMessage?.RequestUri}");

    private static async Task Timed(ConcurrentBag<double> into, Func<Task> step)
    {
        var start = Stopwatch.GetTimestamp();
        await step();
        into.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static void Print(PassResult result, double elapsed, int failures)
    {
        Console.WriteLine($"  {"step",-12} {"count",7} {"ops/s",8} {"p50 ms",8} {"p99 ms",8}");
        foreach (var step in Steps)
        {
            var sorted = result.Steps[step];
            if (sorted.Length == 0)
            {
                continue;
            }

            Console.WriteLine($"  {step,-12} {sorted.Length,7} {sorted.Length / elapsed,8:F0} {result.P(step, 0.50),8:F2} {result.P(step, 0.99),8:F2}");
        }

        Console.WriteLine($"  {elapsed:F1} s, {failures} failed flows; CPU per flow {result.CpuMsPerFlow:F2} ms (bench process {result.ProcessCpuMsPerFlow:F2}, PostgreSQL backends {result.PostgresCpuMsPerFlow:F2})"
            + (result.TransactionsPerFlow is { } t ? $"; PostgreSQL transactions per flow {t:F1}" : "")
            + (result.AuditRowsPerFlow is { } a ? $"; audit rows per flow {a:F1}" : ""));
    }
}
