using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Protocol.Tokens;

namespace IdContact.Bench;

/// <summary>Complete phone flows over HTTP: core start, desk start, auth result, identify, agent fetch, call ended.</summary>
public sealed class PhoneFlows(BenchServer server)
{
    private static readonly string[] Steps = ["core start", "desk start", "auth result", "identify", "agent fetch", "call ended"];
    private readonly HttpClient _client = BenchServer.NewClient(server.BaseUrl);
    private int _callNumber;

    /// <summary>Flows that failed in all runs so far: a smoke run with failures is a broken build, whatever the speed.</summary>
    public int FailedFlows { get; private set; }

    /// <summary>Runs <paramref name="count"/> flows; closed loop with <paramref name="concurrency"/> workers, or open loop at <paramref name="rate"/> flows/s.</summary>
    public async Task<double> RunAsync(int count, int concurrency, double? rate, bool quiet)
    {
        var timings = Steps.ToDictionary(s => s, _ => new ConcurrentBag<double>());
        var failures = 0;
        var gate = new SemaphoreSlim(concurrency);
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
                    await OneFlowAsync(timings);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException)
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
        var flowsPerSecond = (count - failures) / elapsed;
        FailedFlows += failures;
        if (!quiet)
        {
            Print(timings, elapsed, failures);
        }

        return flowsPerSecond;
    }

    private async Task OneFlowAsync(Dictionary<string, ConcurrentBag<double>> timings)
    {
        var tenant = server.Tenant;
        var callId = "bench-" + Interlocked.Increment(ref _callNumber);

        await Timed(timings["core start"], async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/start")
            {
                Content = JsonContent.Create(new { purpose = "report_move", auth_method = "test", comm_method = "phone" }),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            Ensure(await _client.SendAsync(request));
        });

        JsonElement session = default;
        await Timed(timings["desk start"], async () =>
        {
            // The bench plays the core here, so it sends the core's plugin key.
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/phone/start_communication") { Content = JsonContent.Create(new { purpose = "report_move" }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Hosting.DemoConfiguration.DemoPluginKey);
            var response = Ensure(await _client.SendAsync(request));
            session = await response.Content.ReadFromJsonAsync<JsonElement>();
        });
        var code = session.GetProperty("client_url").GetString()!.Split(",,")[1];

        var token = AuthResultToken.Issue(
            // Each flow is another resident: the same claims in the same second would be the same (replayed) result.
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = "Inwoner " + callId, ["bsn"] = "999993653" }),
            server.Signer, server.DeskKey, DateTimeOffset.UtcNow);
        await Timed(timings["auth result"], async () =>
            Ensure(await _client.PostAsync(session.GetProperty("attr_url").GetString(), new StringContent(token, Encoding.ASCII, "application/jwt"))));

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

    private static void Print(Dictionary<string, ConcurrentBag<double>> timings, double elapsed, int failures)
    {
        Console.WriteLine($"  {"step",-12} {"count",7} {"ops/s",8} {"p50 ms",8} {"p99 ms",8}");
        foreach (var step in Steps)
        {
            var sorted = timings[step].Order().ToArray();
            if (sorted.Length == 0)
            {
                continue;
            }

            Console.WriteLine($"  {step,-12} {sorted.Length,7} {sorted.Length / elapsed,8:F0} {Percentile(sorted, 0.50),8:F2} {Percentile(sorted, 0.99),8:F2}");
        }

        Console.WriteLine($"  {elapsed:F1} s, {failures} failed flows");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
