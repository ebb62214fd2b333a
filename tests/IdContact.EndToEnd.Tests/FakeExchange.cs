using System.Collections.Concurrent;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdContact.EndToEnd.Tests;

/// <summary>The municipality's telephone exchange as docs/exchange-api.md describes it: it accepts route requests.</summary>
public sealed class FakeExchange : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeExchange(WebApplication app, string url)
    {
        _app = app;
        RouteUrl = url + "/route";
    }

    public string RouteUrl { get; }

    public const string ApiKey = "exchange-to-desk-key-123456";

    public ConcurrentQueue<(string Authorization, string Body)> Routes { get; } = new();

    /// <summary>On a free port, drawn again if another socket takes it before the bind.</summary>
    public static Task<FakeExchange> StartAsync() => RunningServer.OnFreePortsAsync(async () =>
    {
        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var exchange = new FakeExchange(app, url);
        app.MapPost("/route", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            exchange.Routes.Enqueue((http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await app.StartAsync();
        return exchange;
    });

    public async ValueTask DisposeAsync()
    {
        await Bounded.StopAsync(_app, "the fake telephone exchange");
    }
}
