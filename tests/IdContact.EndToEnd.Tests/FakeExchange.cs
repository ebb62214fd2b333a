using System.Collections.Concurrent;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.EndToEnd.Tests;

/// <summary>The municipality's telephone exchange as docs/exchange-api.md describes it: it accepts route requests.</summary>
public sealed class FakeExchange : LoopbackFake
{
    private FakeExchange()
    {
    }

    public string RouteUrl => Url + "/route";

    public const string ApiKey = "exchange-to-desk-key-123456";

    public ConcurrentQueue<(string Authorization, string Body)> Routes { get; } = new();

    /// <summary>On a free port.</summary>
    public static Task<FakeExchange> StartAsync() => StartServerAsync(new FakeExchange(), "the fake telephone exchange");

    protected override void Map(WebApplication app) => app.MapPost("/route", async (HttpContext http) =>
    {
        using var reader = new StreamReader(http.Request.Body);
        Routes.Enqueue((http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
        return Results.Ok();
    });
}
