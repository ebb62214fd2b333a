using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Bench.Chat;
using IdContact.Server;

// Chats held open at once on one instance, and resident messages per second through them with their latency: from
// the Send invocation to the server's push of the stored line back to the page (store + SignalR group send).
var chats = Arg("--chats", 500);
var messages = Arg("--messages", 10);
var rate = Arg("--rate", 0); // messages per second over all chats; 0 = as fast as the chats' turns allow
var port = System.Net.Sockets.TcpListener.Create(0);
port.Start();
var baseUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}";
port.Stop();
var data = Directory.CreateTempSubdirectory("idcontact-chatbench-").FullName;
var app = IdContactServer.Build(
[
    "--urls", baseUrl, "--data", data, "--Logging:LogLevel:Default", "Warning",
    "--Desk:ChatMessagesPerMinute", "600", "--RateLimits:PluginStartPerMinute", "10000000",
]);
await app.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Authorization = new("Bearer", IdContact.Hosting.DemoConfiguration.DemoPluginKey);

var figures = new RunFigures();
var sockets = new List<ResidentSocket>();
var opening = Stopwatch.StartNew();
for (var i = 0; i < chats; i++)
{
    var start = await http.PostAsJsonAsync("/arnhem/chat/start_communication", new { purpose = "report_move" });
    var capability = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!.Split('/').Last();
    sockets.Add(await ResidentSocket.ConnectAsync($"{baseUrl}/arnhem/chat/hub?c={capability}", figures, CancellationToken.None));
}

Console.WriteLine($"chats open at once: {sockets.Count} (opened in {opening.Elapsed.TotalSeconds:F1} s), {Environment.ProcessorCount} cores, SQLite");

var total = chats * messages;
var run = Stopwatch.StartNew();
// Server and client share this process: a starved thread pool (threads blocked in the database) shows here.
var (maxThreads, maxQueued) = (0, 0L);
using var sampler = new Timer(_ =>
{
    maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
    maxQueued = Math.Max(maxQueued, ThreadPool.PendingWorkItemCount);
}, null, 0, 100);
var interval = rate > 0 ? TimeSpan.FromSeconds(1.0 / rate) : TimeSpan.Zero;
for (var round = 0; round < messages; round++)
{
    foreach (var (socket, i) in sockets.Select((s, i) => (s, i)))
    {
        await socket.SendAsync($"bench-{i:D6}-{round:D4}", "Bericht " + round, CancellationToken.None);
        if (interval > TimeSpan.Zero)
        {
            var due = interval * (round * chats + i + 1);
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed);
            }
        }
    }
}

while (figures.Pushed.Count + figures.Failures.Count < total && run.Elapsed < TimeSpan.FromMinutes(5))
{
    await Task.Delay(50);
}

var seconds = run.Elapsed.TotalSeconds;
var sorted = figures.Pushed.OrderBy(x => x).ToArray();
double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
Console.WriteLine($"messages {sorted.Length}/{total} in {seconds:F1} s: {sorted.Length / seconds:F0} msg/s" + (rate > 0 ? $" (offered {rate}/s)" : " (closed: all sent at once)"));
var stored = figures.Stored.OrderBy(x => x).ToArray();
double S(double q) => stored.Length == 0 ? double.NaN : stored[Math.Min(stored.Length - 1, (int)(q * stored.Length))];
Console.WriteLine($"send → stored (the line's server time): p1 {S(0.01):F1} ms, p10 {S(0.10):F1} ms, p50 {S(0.50):F1} ms, p99 {S(0.99):F1} ms");
Console.WriteLine($"thread pool during the run: at most {maxThreads} threads, {maxQueued} work items waiting");
Console.WriteLine($"latency send → line pushed back: p1 {P(0.01):F1} ms, p10 {P(0.10):F1} ms, p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {sorted.LastOrDefault():F1} ms");

foreach (var failed in figures.Failures.GroupBy(f => f))
{
    Console.WriteLine($"sends that failed: {failed.Count()} ({failed.Key})");
}

foreach (var closed in sockets.Where(s => s.ClosedByServer is not null).GroupBy(s => s.ClosedByServer))
{
    Console.WriteLine($"closed by the server before the end: {closed.Count()} connections ({closed.Key})");
}

foreach (var socket in sockets)
{
    await socket.DisposeAsync();
}

await app.StopAsync();
await app.DisposeAsync();
Directory.Delete(data, recursive: true);

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
