using IdContact.Bench;

var options = BenchOptions.Parse(args);
Console.WriteLine($"IdContact phone-flow benchmark — {Environment.ProcessorCount} cores, {options.Flows} flows, concurrency {options.Concurrency}, {options.Keys} keys");
Console.WriteLine();
CryptoBound.Print(options);
var failed = 0;
foreach (var provider in options.Providers)
{
    await using var target = await BenchServer.StartAsync(provider, options.Keys);
    if (target is null)
    {
        continue;
    }

    var flows = new PhoneFlows(target);
    await flows.RunAsync(options.Warmup, options.Concurrency, rate: null, quiet: true);
    var max = await flows.RunAsync(options.Flows, options.Concurrency, rate: null, quiet: false);
    Console.WriteLine($"{provider}: {max:F0} flows/s at concurrency {options.Concurrency} (target with PostgreSQL: ≥ 1,000 flows/s on 2 cores)");
    var half = Math.Max(1, max / 2);
    Console.WriteLine($"{provider}: open-loop pass at half that rate ({half:F0} flows/s) for identify latency (target p99 ≤ 10 ms):");
    await flows.RunAsync(Math.Min(options.Flows, (int)(half * 10)), options.Concurrency * 4, rate: half, quiet: false);
    Console.WriteLine();
    failed += flows.FailedFlows;
}

// Figures are printed, never judged; failed flows are a failure (the smoke run in CI relies on it).
return failed == 0 ? 0 : 1;
