using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The municipality's agent workspace (CRM) that frames a desk page (Desk:EmbedOrigins): a real server on another port of
/// loopback, the same site as the desk (its SameSite=Strict cookie goes along), and local, as Chromium's local network
/// checks want of a page that frames one on 127.0.0.1 (a page the test only fulfilled counts as public and is refused).
/// </summary>
public sealed class FakeWorkspace : LoopbackFake
{
    private readonly string _framed;

    private FakeWorkspace(string framed) => _framed = framed;

    /// <summary>Its origin, for Desk:EmbedOrigins; its page is at <c>{Origin}/</c>.</summary>
    public string Origin => Url;

    /// <summary>On a free port; its page frames <paramref name="framed"/>.</summary>
    public static Task<FakeWorkspace> StartAsync(string framed) => StartServerAsync(new FakeWorkspace(framed), "the fake agent workspace");

    protected override void Map(WebApplication app) => app.MapGet("/", () => Results.Content(
        $"<!DOCTYPE html><html lang=\"nl\"><title>Werkplek</title><iframe title=\"ID Contact\" src=\"{_framed}\"></iframe></html>", "text/html"));
}
