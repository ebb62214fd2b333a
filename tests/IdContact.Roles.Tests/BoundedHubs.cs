using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Roles.Tests;

/// <summary>
/// A test's SignalR client connections, disposed within <see cref="Bounded.Hang"/>: <see cref="HubConnection.DisposeAsync"/>
/// stops the connection and waits for its transport, with no bound of its own. Unbounded, a stop that never finished held
/// the test host until the blame collector stopped it; bounded, the test fails naming the connection and its line.
/// </summary>
public static class BoundedHubs
{
    /// <summary>Stops and disposes <paramref name="connection"/> now; past the bound, throws naming it.</summary>
    public static Task DisposeBoundedAsync(this HubConnection connection,
        [CallerArgumentExpression(nameof(connection))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        connection.DisposeBoundedAsync(Bounded.Hang, name, file, line);

    /// <inheritdoc cref="DisposeBoundedAsync(HubConnection, string, string, int)"/>
    public static Task DisposeBoundedAsync(this HubConnection connection, TimeSpan bound,
        [CallerArgumentExpression(nameof(connection))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(connection.DisposeAsync().AsTask(), bound, $"disposing hub connection {name} ({Path.GetFileName(file)}:{line})");

    /// <summary>
    /// For <c>await using</c> in place of the connection itself: <c>var hub = …; await using var hubDisposal =
    /// hub.DisposedBounded();</c> disposes it, bounded, where the scope ends.
    /// </summary>
    public static IAsyncDisposable DisposedBounded(this HubConnection connection,
        [CallerArgumentExpression(nameof(connection))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new Disposal(() => connection.DisposeBoundedAsync(name, file, line));

    private sealed class Disposal(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
