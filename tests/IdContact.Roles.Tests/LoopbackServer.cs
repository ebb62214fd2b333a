using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace IdContact.Roles.Tests;

/// <summary>
/// The small in-process HTTP server behind a test's fake of another party (the telephone exchange, the core, a plugin,
/// an identity provider, an agent workspace): a slim ASP.NET Core app on a loopback port with the routes the fake maps,
/// stopped through <see cref="Bounded.StopAsync(WebApplication, string)"/> so a stop that hangs fails naming the fake.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _what;

    private LoopbackServer(WebApplication app, string url, string what)
    {
        _app = app;
        _what = $"{what} at {url}";
        Url = url;
    }

    /// <summary>Its address, <c>http://127.0.0.1:{port}</c> (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>
    /// On a free port, drawn again if another socket takes it before the bind. <paramref name="map"/> adds the routes;
    /// <paramref name="configure"/>, if any, adds services or logging first. <paramref name="what"/> names the server in
    /// a hang ("the fake core"; its address is added).
    /// </summary>
    public static Task<LoopbackServer> StartAsync(string what, Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null) =>
        RunningServer.OnFreePortsAsync(() => StartAtAsync($"http://127.0.0.1:{RunningServer.FreePort()}", what, map, configure));

    /// <summary>As <see cref="StartAsync"/>, on an address drawn before (a server that must trust it was started first).</summary>
    public static async Task<LoopbackServer> StartAtAsync(string url, string what, Action<WebApplication> map,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        var server = new LoopbackServer(app, url, what);
        await Bounded.StartAsync(app, server._what);
        return server;
    }

    /// <summary>Stops within <paramref name="bound"/> (the tests of the bound itself; otherwise <see cref="Bounded.Hang"/>).</summary>
    internal Task StopAsync(TimeSpan bound) => Bounded.StopAsync(_app, bound, _what);

    public async ValueTask DisposeAsync() => await StopAsync(Bounded.Hang);
}
