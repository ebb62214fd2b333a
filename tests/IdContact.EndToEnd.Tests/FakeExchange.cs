using System.Collections.Concurrent;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.EndToEnd.Tests;

/// <summary>The municipality's telephone exchange as docs/exchange-api.md describes it: it accepts route requests.</summary>
public sealed class FakeExchange : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    private FakeExchange()
    {
    }

    public string RouteUrl => _server.Url + "/route";

    public const string ApiKey = "exchange-to-desk-key-123456";

    public ConcurrentQueue<(string Authorization, string Body)> Routes { get; } = new();

    /// <summary>On a free port.</summary>
    public static async Task<FakeExchange> StartAsync()
    {
        var exchange = new FakeExchange();
        exchange._server = await LoopbackServer.StartAsync("the fake telephone exchange", app => app.MapPost("/route", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            exchange.Routes.Enqueue((http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            return Results.Ok();
        }));
        return exchange;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
