using System.Net;
using System.Net.Sockets;
using IdContact.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests;

/// <summary>A real server process-in-process on a free loopback port, with its own data directory.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, string baseUrl, string dataDirectory)
    {
        App = app;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        // Tests call plugin endpoints as this installation's core would: with the demo's plugin key.
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PluginKey);
    }

    /// <summary>Every test server trusts this origin as a foreign ID Contact component's (attr_url and continuation may point there).</summary>
    public const string ForeignOrigin = "https://example.org";

    /// <summary>
    /// Every test's requests come from 127.0.0.1, so test servers lift the per-address limits out of reach; the tests
    /// of the limits themselves set them low again (later arguments win).
    /// </summary>
    public static readonly string[] NoRateLimits =
    [
        "--RateLimits:StartPerMinute", "1000000", "--RateLimits:PluginStartPerMinute", "1000000", "--RateLimits:ResultPerMinute", "1000000",
        "--RateLimits:ExchangePerMinute", "1000000", "--RateLimits:LoginPerMinute", "1000000",
        "--RateLimits:BookingPerMinute", "1000000", "--RateLimits:WebCodePagePerMinute", "1000000",
        "--RateLimits:PhoneStatusPerMinute", "1000000", "--RateLimits:ResidentConnectionPerMinute", "1000000",
    ];

    /// <summary>The key the core sends to the plugins of a demo-mode server (generated per process).</summary>
    public static string PluginKey => Hosting.DemoConfiguration.DemoPluginKey;

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public string DataDirectory { get; }

    /// <summary>The demo municipal site's origin (another port), when started with <see cref="StartWithDemoSiteAsync"/>.</summary>
    public string? DemoSiteUrl { get; private set; }

    /// <summary>Does not follow redirects, so tests see the 303s the protocol specifies.</summary>
    public HttpClient Client { get; }

    public static Task<RunningServer> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    public static Task<RunningServer> StartAsync(Action<Microsoft.Extensions.Logging.ILoggingBuilder>? configureLogging, params string[] extraArgs) =>
        OnFreePortsAsync(async () =>
        {
            var baseUrl = $"http://127.0.0.1:{FreePort()}";
            var data = Path.Combine(Path.GetTempPath(), "idcontact-tests", Guid.NewGuid().ToString("N"));
            string[] args = ["--urls", baseUrl, "--data", data, "--TrustedOrigins:0", ForeignOrigin, .. NoRateLimits, .. extraArgs];
            var app = IdContactServer.Build(args, configureLogging);
            await Bounded.StartAsync(app, $"the test server at {baseUrl}");
            return new RunningServer(app, baseUrl, data);
        });

    /// <summary>The server's log when started with <see cref="StartWithDemoSiteAsync"/>: a failing browser test reports its tail.</summary>
    public CapturingLoggerProvider? Logs { get; private set; }

    /// <summary>The embedded demo plus its municipal site on a second free port: a different origin from the core.</summary>
    public static Task<RunningServer> StartWithDemoSiteAsync() => OnFreePortsAsync(async () =>
    {
        var site = $"http://127.0.0.1:{FreePort()}";
        var logs = new CapturingLoggerProvider();
        var server = await StartAsync(logging => logging.AddProvider(logs), "--DemoSiteUrl", site);
        server.DemoSiteUrl = site;
        server.Logs = logs;
        return server;
    });

    /// <summary>
    /// Starts again on other ports when one was taken between <see cref="FreePort"/> and the bind (another socket of this
    /// busy machine may draw the same ephemeral port in that instant).
    /// </summary>
    public static async Task<T> OnFreePortsAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                // Draw again.
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // A browser's WebSocket left open must not hold the stop (nor a hang the test host): see Bounded.
        await Bounded.StopAsync(App, $"the test server at {BaseUrl}");
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
