using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Roles.Tests;

/// <summary>The bound on waits that could hang a test host: it names what hung, and lets everything else through.</summary>
public class BoundedTests
{
    [Fact]
    public async Task A_wait_that_never_ends_fails_naming_what_hung()
    {
        var never = new TaskCompletionSource().Task;

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(never, TimeSpan.FromMilliseconds(50), "closing the agent's page"));
        Assert.Contains("closing the agent's page", e.Message);
        var typed = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(new TaskCompletionSource<int>().Task, TimeSpan.FromMilliseconds(50), "opening a page"));
        Assert.Contains("opening a page", typed.Message);
    }

    [Fact]
    public async Task A_finished_wait_passes_through_with_its_result_or_its_own_exception()
    {
        await Bounded.WithinAsync(Task.CompletedTask, "nothing");
        Assert.Equal(42, await Bounded.WithinAsync(Task.FromResult(42), "an answer"));

        // The task's own timeout is its own, not taken for a hang of the bound.
        var own = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(Task.FromException(new TimeoutException("Redis")), "a call"));
        Assert.Equal("Redis", own.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Bounded.WithinAsync(Task.FromException<int>(new InvalidOperationException()), "a call"));
    }

    [Fact]
    public async Task A_hub_connection_whose_disposal_hangs_fails_naming_it_and_its_line()
    {
        var hub = new HubConnection(new HangingConnections(), new JsonHubProtocol(), new IPEndPoint(IPAddress.Loopback, 1),
            new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);
        await hub.StartAsync();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => hub.DisposeBoundedAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Contains("disposing hub connection hub (BoundedTests.cs:", e.Message);
    }

    /// <summary>A transport that answers the SignalR handshake and then never finishes closing.</summary>
    private sealed class HangingConnections : IConnectionFactory
    {
        public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        {
            var toClient = new Pipe();
            await toClient.Writer.WriteAsync(Encoding.UTF8.GetBytes("{}\u001e"), cancellationToken);
            return new HangingConnection(new Transport(toClient.Reader, new Pipe().Writer));
        }
    }

    private sealed record Transport(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class HangingConnection(IDuplexPipe transport) : ConnectionContext
    {
        public override IDuplexPipe Transport { get; set; } = transport;

        public override string ConnectionId { get; set; } = "hanging";

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override ValueTask DisposeAsync() => new(new TaskCompletionSource().Task);
    }
}
