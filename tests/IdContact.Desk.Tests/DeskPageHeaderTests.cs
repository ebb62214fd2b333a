using IdContact.Desk.Agents;
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
