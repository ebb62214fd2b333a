using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The municipality's agent workspace (CRM) that frames a desk page (Desk:EmbedOrigins): a real server on another port of
/// loopback, the same site as the desk (its SameSite=Strict cookie goes along), and local, as Chromium's local network
/// checks want of a page that frames one on 127.0.0.1 (a page the test only fulfilled counts as public and is refused).
/// </summary>
public sealed class FakeWorkspace : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeWorkspace(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>Its origin, for Desk:EmbedOrigins; its page is at <c>{Origin}/</c>.</summary>
    public string Origin { get; }

    /// <summary>On a free port, drawn again if another socket takes it before the bind; its page frames <paramref name="framed"/>.</summary>
    public static Task<FakeWorkspace> StartAsync(string framed) => RunningServer.OnFreePortsAsync(async () =>
    {
        var origin = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(origin);
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(
            $"<!DOCTYPE html><html lang=\"nl\"><title>Werkplek</title><iframe title=\"ID Contact\" src=\"{framed}\"></iframe></html>", "text/html"));
        await app.StartAsync();
        return new FakeWorkspace(app, origin);
    });

    public async ValueTask DisposeAsync()
    {
        await Bounded.StopAsync(_app, "the fake agent workspace");
    }
}
