using IdContact.Bench;
using IdContact.Protocol.Keys;

var options = BenchOptions.Parse(args);
if (options.SoakMinutes is { } soakMinutes)
{
    await using var soaked = await BenchServer.StartAsync(options.Providers[^1], options.Keys, options.DbTls, options.DbSocket);
    return soaked is null ? 1 : await Soak.RunAsync(soaked, soakMinutes, options.SoakFlowsPerSecond, options.SoakChatsPerSecond) == 0 ? 0 : 1;
}

var cores = Environment.ProcessorCount;
Console.WriteLine($"IdContact phone-flow benchmark — {cores} cores, {options.Flows} flows, concurrency {options.Concurrency}, warm-up {options.Warmup}, {options.Keys} keys, " +
    $"PostgreSQL {options.DbTransport}");
Console.WriteLine();
var perCore = CryptoBound.Print(options);
var bound = perCore * cores;
var boundCpuMs = 1000 / perCore;
var target = options.Keys == KeyType.Rsa ? 50 : 30;
var failed = 0;
const int SettleRound = 1000;
const double SettledJitShare = 0.01;
foreach (var provider in options.Providers)
{
    double half;
    await using (var target1 = await BenchServer.StartAsync(provider, options.Keys, options.DbTls, options.DbSocket))
    {
        if (target1 is null)
        {
            continue;
        }

        var flows = new PhoneFlows(target1);
        await WarmUpAsync(flows);
        var max = await flows.RunAsync(options.Flows, options.Concurrency, rate: null, quiet: false);
        Console.WriteLine($"{provider}: {max.FlowsPerSecond:F0} flows/s at concurrency {options.Concurrency} = {100 * max.FlowsPerSecond / bound:F1} % of the same-run crypto bound ({bound:F0}/s)");
        var tls = provider == "Postgres" ? $", database {options.DbTransport}" : "";
        Console.WriteLine($"{provider}{tls}: by CPU time {max.CpuMsPerFlow:F2} ms per flow vs {boundCpuMs:F2} ms of cryptography = {100 * boundCpuMs / max.CpuMsPerFlow:F1} % " +
            $"(≈ {cores * 1000 / max.CpuMsPerFlow:F0} flows/s on {cores} idle cores; target ≥ {target} % with {options.Keys} keys)");
        var floor = await HttpFloor.CpuMsPerRequestAsync(target1, 20_000, options.Concurrency);
        Console.WriteLine($"{provider}: HTTP floor (GET /health through the whole pipeline, client and server): {floor:F3} ms CPU per request; " +
            $"× {PhoneFlows.RequestsPerFlow} requests a flow = {PhoneFlows.RequestsPerFlow * floor:F2} ms, {100 * PhoneFlows.RequestsPerFlow * floor / max.CpuMsPerFlow:F0} % of the flow's CPU");
        half = Math.Max(1, max.FlowsPerSecond / 2);
        Console.WriteLine($"{provider}: open loop at half that rate ({half:F0} flows/s), one agent's page on the hub (targets: identify p99 ≤ 10 ms, agent sees p99 ≤ 100 ms):");
        await using (var watcher = await AgentWatcher.ConnectAsync(target1))
        {
            if (options.OpenWarmup)
            {
                // The watcher's list fetch and the hub's pushes run only here: warmed first, or a short run's p99 is
                // their first calls (tier-0 code, first renders), not the steady state the closed loop is measured at.
                await flows.RunAsync((int)(half * 5), options.Concurrency * 4, rate: half, quiet: true, watcher);
                watcher.ResetCounts();
            }

            var fetches = watcher.FetchTimes.Count;
            var open = await flows.RunAsync(Math.Min(options.Flows, (int)(half * 10)), options.Concurrency * 4, rate: half, quiet: false, watcher);
            Console.WriteLine($"{provider}: identify p99 {open.P("identify", 0.99):F2} ms, agent sees the new call p99 {open.P(PhoneFlows.AgentSees, 0.99):F2} ms ({watcher.Pushes} pushes; " +
                $"first list fetch {watcher.FetchTimes.Skip(fetches).FirstOrDefault():F1} ms"
                + (watcher.DeeperFetches > 0 ? $"; {watcher.DeeperFetches} fetches past page 1, the list was full" : "") + ")"
                + (watcher.Failures > 0 ? $"; the agent's page failed {watcher.Failures} times (list fetch or hub), the last: {watcher.LastFailure}" : ""));
        }

        Console.WriteLine();
        failed += flows.FailedFlows;
    }

    if (options.Live.Count > 0)
    {
        failed += await LiveLoad(provider, options.LiveRate ?? half);
    }
}

// Figures are printed, never judged; failed flows are a failure (the smoke run in CI relies on it).
return failed == 0 ? 0 : 1;

// Steady state: at least --warmup flows, then rounds until the JIT has (nearly) stopped compiling. Tiered compilation
// of some 20,000 methods takes tens of seconds under load, and its CPU would otherwise be counted as the flows' cost.
async Task WarmUpAsync(PhoneFlows flows)
{
    await flows.RunAsync(options.Warmup, options.Concurrency, rate: null, quiet: true);
    var done = options.Warmup;
    while (options.Settle && done < options.WarmupMax)
    {
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var round = await flows.RunAsync(SettleRound, options.Concurrency, rate: null, quiet: true);
        done += SettleRound;
        var share = (System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds / (round.ProcessCpuMsPerFlow * SettleRound);
        if (share < SettledJitShare || done >= options.WarmupMax)
        {
            Console.WriteLine($"warm-up: {done} flows; the JIT took {100 * share:F1} % of the process's CPU in the last {SettleRound} " +
                (share < SettledJitShare ? "(settled)" : $"(not settled within --warmup-max {options.WarmupMax})"));
            return;
        }
    }
}

// Load kept: the same open-loop pass with N live sessions preloaded; latencies compared with the first N (target ≤ 1.5×).
async Task<int> LiveLoad(string provider, double rate)
{
    Console.WriteLine($"{provider}: load kept, open loop at {rate:F0} flows/s with live sessions preloaded (target: identify and agent list within 1.5× of the first):");
    var rows = new List<(int Live, PassResult Result)>();
    var failures = 0;
    foreach (var live in options.Live)
    {
        await using var server = await BenchServer.StartAsync(provider, options.Keys, options.DbTls, options.DbSocket);
        if (server is null)
        {
            return 0;
        }

        await LiveSessions.PreloadAsync(server, live);
        var flows = new PhoneFlows(server);
        await using var watcher = await AgentWatcher.ConnectAsync(server);
        await WarmUpAsync(flows);
        rows.Add((live, await flows.RunAsync((int)(rate * 15), options.Concurrency * 4, rate, quiet: true, watcher)));
        failures += flows.FailedFlows;
    }

    Console.WriteLine($"  {"live",8} {"identify p50",13} {"p99",8} {"agent list p50",15} {"p99",8} {"agent sees p99",15} {"ratio p50 / p99",18}");
    var first = rows[0].Result;
    foreach (var (live, r) in rows)
    {
        var ratio = $"{r.P("identify", 0.5) / first.P("identify", 0.5):F2}/{r.P("identify", 0.99) / first.P("identify", 0.99):F2} · {r.P(PhoneFlows.AgentList, 0.5) / first.P(PhoneFlows.AgentList, 0.5):F2}/{r.P(PhoneFlows.AgentList, 0.99) / first.P(PhoneFlows.AgentList, 0.99):F2}";
        Console.WriteLine($"  {live,8:N0} {r.P("identify", 0.5),13:F2} {r.P("identify", 0.99),8:F2} {r.P(PhoneFlows.AgentList, 0.5),15:F2} {r.P(PhoneFlows.AgentList, 0.99),8:F2} {r.P(PhoneFlows.AgentSees, 0.99),15:F2} {ratio,18}");
    }

    Console.WriteLine("  (ratios: identify p50/p99 · agent list p50/p99, against the first row)");
    Console.WriteLine();
    return failures;
}
