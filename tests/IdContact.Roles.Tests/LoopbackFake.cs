using Microsoft.AspNetCore.Builder;

namespace IdContact.Roles.Tests;

/// <summary>
/// A fake of another party on a <see cref="LoopbackServer"/> of its own, whose routes answer from and record into the
/// fake's state: a subclass maps them, and starts through <see cref="StartServerAsync"/>.
/// </summary>
public abstract class LoopbackFake : IAsyncDisposable
{
    private LoopbackServer? _server;

    /// <summary>The server's address, <see cref="LoopbackServer.Url"/>.</summary>
    protected string Url => _server?.Url ?? throw new InvalidOperationException("The fake has not started.");

    /// <summary>Starts <paramref name="fake"/>'s server on a free port; <paramref name="what"/> names it in a hang.</summary>
    protected static async Task<TFake> StartServerAsync<TFake>(TFake fake, string what)
        where TFake : LoopbackFake
    {
        fake._server = await LoopbackServer.StartAsync(what, fake.Map, fake.Configure);
        return fake;
    }

    protected abstract void Map(WebApplication app);

    /// <summary>Services or logging the routes need; none by default.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
