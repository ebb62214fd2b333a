using System.Diagnostics;

namespace IdContact.Bench;

/// <summary>
/// The cost of one HTTP request through the server's whole pipeline with no work behind it (GET /health, client and
/// server in this process): a flow is seven such requests served and seven sent, so this is the part of a flow that no
/// change to our handlers or queries can take away.
/// </summary>
public static class HttpFloor
{
    public static async Task<double> CpuMsPerRequestAsync(BenchServer server, int requests, int concurrency)
    {
        using var client = BenchServer.NewClient(server.BaseUrl);
        await RunAsync(client, Math.Min(requests, 2000), concurrency); // warm the path
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        await RunAsync(client, requests, concurrency);
        self.Refresh();
        return (self.TotalProcessorTime - before).TotalMilliseconds / requests;
    }

    private static async Task RunAsync(HttpClient client, int requests, int concurrency)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                using var response = await client.GetAsync("/health");
                response.EnsureSuccessStatusCode();
            }
        }));
    }
}
