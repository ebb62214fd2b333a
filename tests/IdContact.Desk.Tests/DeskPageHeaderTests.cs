using IdContact.Desk.Agents;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// A desk or resident page's headers are set once, as the response starts: the exception handler clears the headers
/// before its 500 or 503, and the page must still carry them.
/// </summary>
public sealed class DeskPageHeaderTests
{
    [Theory]
    [InlineData("/arnhem/desk/chats")]
    [InlineData("/Arnhem/ID")]
    public async Task A_pages_headers_are_set_once_when_the_response_starts_not_before(string path)
    {
        var response = new StartingResponse();
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddOptions().BuildServiceProvider() };
        http.Features.Set<IHttpResponseFeature>(response);
        http.Request.Path = path;
        var app = new ApplicationBuilder(http.RequestServices);
        app.UseDeskPageHeaders();
        var seenBeforeStart = true;
        app.Run(h =>
        {
            seenBeforeStart = h.Response.Headers.ContainsKey("Referrer-Policy");
            h.Response.Headers.Clear(); // as the exception handler does
            return Task.CompletedTask;
        });

        await app.Build()(http);
        await response.StartAsync();

        Assert.False(seenBeforeStart);
        Assert.Equal("no-referrer", http.Response.Headers["Referrer-Policy"]);
        Assert.Equal("no-cache, no-store", http.Response.Headers.CacheControl);
    }

    /// <summary>
    /// The agent workspace (Desk:EmbedOrigins) may frame the agent's working pages, never the administration, the access
    /// log or the account pages, where a framing page could overlay the buttons (clickjacking).
    /// </summary>
    [Theory]
    [InlineData("/arnhem/desk", true)]
    [InlineData("/arnhem/desk/calls/c1", true)]
    [InlineData("/arnhem/desk/identify/x", true)]
    [InlineData("/arnhem/desk/chats/x", true)]
    [InlineData("/arnhem/desk/video/x", true)]
    [InlineData("/arnhem/desk/appointments", true)]
    [InlineData("/arnhem/desk/login", true)]
    [InlineData("/arnhem/desk/admin", false)]
    [InlineData("/arnhem/desk/admin/agents/x/delete", false)]
    [InlineData("/Arnhem/Desk/Admin/Access-Log", false)]
    [InlineData("/arnhem/desk/admin/staffing", false)]
    [InlineData("/arnhem/desk/password", true)]
    [InlineData("/arnhem/desk/account", false)]
    [InlineData("/arnhem/desk/account/totp", false)]
    [InlineData("/arnhem/desk/some-page-added-later", false)]
    public async Task Only_the_agents_working_pages_may_be_framed_by_the_workspace(string path, bool framable)
    {
        var arnhem = new TenantOptions();
        arnhem.Desk().EmbedOrigins.Add("https://werkplek.arnhem.nl");
        var services = new ServiceCollection().Configure<IdContactOptions>(o => o.Tenants["arnhem"] = arnhem).BuildServiceProvider();
        var response = new StartingResponse();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Features.Set<IHttpResponseFeature>(response);
        http.Request.Path = path;
        var app = new ApplicationBuilder(services);
        app.UseDeskPageHeaders();
        app.Run(_ => Task.CompletedTask);

        await app.Build()(http);
        await response.StartAsync();

        if (framable)
        {
            Assert.Equal("frame-ancestors 'self' https://werkplek.arnhem.nl", http.Response.Headers.ContentSecurityPolicy);
            Assert.False(http.Response.Headers.ContainsKey("X-Frame-Options"));
        }
        else
        {
            Assert.Equal("frame-ancestors 'none'", http.Response.Headers.ContentSecurityPolicy);
            Assert.Equal("DENY", http.Response.Headers.XFrameOptions);
        }
    }

    /// <summary>A response that runs its OnStarting callbacks when told to (as a server does), last registered first.</summary>
    private sealed class StartingResponse : HttpResponseFeature
    {
        private readonly Stack<(Func<object, Task> Callback, object State)> _starting = new();

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Push((callback, state));

        public async Task StartAsync()
        {
            while (_starting.TryPop(out var start))
            {
                await start.Callback(start.State);
            }
        }
    }
}
