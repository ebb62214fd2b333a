using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IdContact.Roles.Tests;

/// <summary>The server behind the tests' fakes: it serves what the fake maps on loopback, and its stop is bounded.</summary>
public class LoopbackServerTests
{
    [Fact]
    public async Task A_fake_serves_its_routes_on_a_loopback_address()
    {
        await using var server = await LoopbackServer.StartAsync("a fake", app => app.MapGet("/ping", () => Results.Text("pong")));

        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);
        using var client = new HttpClient();
        Assert.Equal("pong", await client.GetStringAsync(server.Url + "/ping"));
    }

    [Fact]
    public async Task A_fake_whose_stop_hangs_fails_naming_it()
    {
        var hang = new HangingStop();
        var server = await LoopbackServer.StartAsync("the hanging fake", _ => { }, builder => builder.Services.AddSingleton<IHostedService>(hang));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => server.StopAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Contains($"stopping the hanging fake at {server.Url}", e.Message);

        hang.Release();
        await server.DisposeAsync();
    }

    /// <summary>A hosted service whose stop ignores its token and ends only when the test lets it.</summary>
    private sealed class HangingStop : IHostedService
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => _released.Task;
    }
}
