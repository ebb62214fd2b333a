using System.Diagnostics;
using System.Globalization;
using IdContact.Bench;
using IdContact.Bench.Chat;

// Chats held open at once on one instance, and resident messages per second through them with their latency: from
// the Send invocation to the server's push of the stored line back to the page (store + SignalR group send). Per
// pass (desk on SQLite, on PostgreSQL, or both) also the CPU time and PostgreSQL transactions per message.
var chats = Arg("--chats", 500);
var messages = Arg("--messages", 10);
var rate = Arg("--rate", 0); // messages per second over all chats; 0 = as fast as the chats' turns allow
var warmup = Arg("--warmup-rounds", 0); // rounds (one message per chat) sent and waited for before the measured ones
var provider = Value("--provider") ?? "sqlite";
string[] providers = provider.ToLowerInvariant() switch
{
    "sqlite" => ["Sqlite"],
    "postgres" => ["Postgres"],
    "both" => ["Sqlite", "Postgres"],
    _ => throw new ArgumentException("--provider is sqlite, postgres or both"),
};
var dbTls = !(Value("--db-tls") ?? "off").Equals("off", StringComparison.OrdinalIgnoreCase);

foreach (var pass in providers)
{
    await using var server = await ChatBenchServer.StartAsync(pass, dbTls);
    if (server is not null)
    {
        await RunAsync(server);
    }
}

async Task RunAsync(ChatBenchServer server)
{
    var label = server.Postgres is null ? "SQLite" : "PostgreSQL" + (dbTls ? " over TLS" : " without TLS");
    var figures = new RunFigures();
    var sockets = new List<ResidentSocket>();
    var opening = Stopwatch.StartNew();
    for (var i = 0; i < chats; i++)
    {
        sockets.Add(await ResidentSocket.ConnectAsync(await server.StartChatAsync(), figures, CancellationToken.None));
    }

    Console.WriteLine($"{label}: chats open at once: {sockets.Count} (opened in {opening.Elapsed.TotalSeconds:F1} s), {Environment.ProcessorCount} cores");
    if (warmup > 0)
    {
        // Tiered compilation and the pools settle first, so CPU per message is the steady state's.
        var warm = Stopwatch.StartNew();
        await SendRoundsAsync(sockets, "warm", warmup, 0, figures);
        Console.WriteLine($"{label}: warm-up {figures.Pushed.Count} messages in {warm.Elapsed.TotalSeconds:F1} s");
        figures.Clear();
    }

    var cpu = new CpuMeter(server.Postgres?.Databases ?? []);
    var transactionsBefore = server.Postgres is null ? 0 : await SettledTransactionsAsync(server.Postgres);
    var cpuBefore = cpu.Now();
    var total = chats * messages;
    var run = Stopwatch.StartNew();
    // Server and client share this process: a starved thread pool (threads blocked in the database) shows here.
    var (maxThreads, maxQueued) = (0, 0L);
    using (new Timer(_ =>
    {
        maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
        maxQueued = Math.Max(maxQueued, ThreadPool.PendingWorkItemCount);
    }, null, 0, 100))
    {
        await SendRoundsAsync(sockets, "bench", messages, rate, figures);
    }

    var seconds = run.Elapsed.TotalSeconds;
    var cpuAfter = cpu.Now();
    var sorted = figures.Pushed.OrderBy(x => x).ToArray();
    double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    Console.WriteLine($"{label}: messages {sorted.Length}/{total} in {seconds:F1} s: {sorted.Length / seconds:F0} msg/s" + (rate > 0 ? $" (offered {rate}/s)" : " (closed: all sent at once)"));
    var stored = figures.Stored.OrderBy(x => x).ToArray();
    double S(double q) => stored.Length == 0 ? double.NaN : stored[Math.Min(stored.Length - 1, (int)(q * stored.Length))];
    Console.WriteLine($"{label}: send → stored (the line's server time): p1 {S(0.01):F1} ms, p10 {S(0.10):F1} ms, p50 {S(0.50):F1} ms, p99 {S(0.99):F1} ms");
    Console.WriteLine($"{label}: thread pool during the run: at most {maxThreads} threads, {maxQueued} work items waiting");
    Console.WriteLine($"{label}: latency send → line pushed back: p1 {P(0.01):F1} ms, p10 {P(0.10):F1} ms, p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {sorted.LastOrDefault():F1} ms");

    // Per message, so runs of another size or on a busier machine compare: CPU time moves little with other load.
    var done = Math.Max(1, sorted.Length);
    var processMs = (cpuAfter.Process - cpuBefore.Process).TotalMilliseconds / done;
    var line = $"{label}: CPU per message {processMs:F3} ms (this process: client and server)";
    if (server.Postgres is not null)
    {
        var postgresMs = cpuAfter.PostgresSince(cpuBefore).TotalMilliseconds / done;
        var transactions = await SettledTransactionsAsync(server.Postgres) - transactionsBefore;
        line = $"{label}: CPU per message {processMs + postgresMs:F3} ms ({processMs:F3} this process + {postgresMs:F3} PostgreSQL backends), "
            + $"PostgreSQL transactions per message {(double)transactions / done:F2}";
    }

    Console.WriteLine(line + $"; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

    foreach (var failed in figures.Failures.GroupBy(f => f))
    {
        Console.WriteLine($"{label}: sends that failed: {failed.Count()} ({failed.Key})");
    }

    foreach (var closed in sockets.Where(s => s.ClosedByServer is not null).GroupBy(s => s.ClosedByServer))
    {
        Console.WriteLine($"{label}: closed by the server before the end: {closed.Count()} connections ({closed.Key})");
    }

    foreach (var socket in sockets)
    {
        await socket.DisposeAsync();
    }
}

// Each chat sends one message per round; at --rate the sends are paced over all chats, otherwise all go at once.
// Returns when every message came back or failed, or after five minutes.
async Task SendRoundsAsync(List<ResidentSocket> sockets, string prefix, int rounds, int perSecond, RunFigures figures)
{
    var clock = Stopwatch.StartNew();
    var interval = perSecond > 0 ? TimeSpan.FromSeconds(1.0 / perSecond) : TimeSpan.Zero;
    for (var round = 0; round < rounds; round++)
    {
        foreach (var (socket, i) in sockets.Select((s, i) => (s, i)))
        {
            await socket.SendAsync($"{prefix}-{i:D6}-{round:D4}", "Bericht " + round, CancellationToken.None);
            if (interval > TimeSpan.Zero)
            {
                var due = interval * (round * sockets.Count + i + 1);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }
    }

    while (figures.Pushed.Count + figures.Failures.Count < rounds * sockets.Count && clock.Elapsed < TimeSpan.FromMinutes(5))
    {
        await Task.Delay(50);
    }
}

// A backend flushes its counts to pg_stat_database when it goes idle, or, if it flushed less than a second before,
// within PostgreSQL's idle interval (10 s): read before that, the previous phase's tail would count in this one.
static async Task<long> SettledTransactionsAsync(BenchPostgres postgres)
{
    await Task.Delay(TimeSpan.FromSeconds(11));
    return await postgres.TransactionsAsync();
}

string? Value(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback) => Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
