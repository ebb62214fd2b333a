using Microsoft.AspNetCore.Builder;

namespace IdContact.Roles.Tests;

/// <summary>
/// Bounds for the waits of tests and fixtures that have none of their own (a test server's stop, a browser page's
/// close). Unbounded, such a wait held the test host until the blame collector stopped it after 5 minutes, naming only
/// the test; bounded, the test fails with a <see cref="TimeoutException"/> that says what hung.
/// </summary>
public static class Bounded
{
    /// <summary>Generous: a hang detector, not a timing assertion (the slowest of these waits takes seconds).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a test server's stop waits for open requests and connections (a browser's WebSocket the page never
    /// closes) before it aborts them, instead of Kestrel's 30 s.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="bound"/>; past it, throws naming <paramref name="what"/>.</summary>
    public static async Task WithinAsync(Task task, TimeSpan bound, string what)
    {
        try
        {
            await task.WaitAsync(bound);
        }
        catch (TimeoutException e) when (!task.IsCompleted)
        {
            throw Hung(what, bound, e);
        }
    }

    /// <inheritdoc cref="WithinAsync(Task, TimeSpan, string)"/>
    public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan bound, string what)
    {
        try
        {
            return await task.WaitAsync(bound);
        }
        catch (TimeoutException e) when (!task.IsCompleted)
        {
            throw Hung(what, bound, e);
        }
    }

    /// <summary>Within <see cref="Hang"/>.</summary>
    public static Task WithinAsync(Task task, string what) => WithinAsync(task, Hang, what);

    /// <inheritdoc cref="WithinAsync(Task, string)"/>
    public static Task<T> WithinAsync<T>(Task<T> task, string what) => WithinAsync(task, Hang, what);

    /// <summary>Starts a test server; one that fails to start (its port taken meanwhile) is disposed within the bound first.</summary>
    public static async Task StartAsync(WebApplication app, string what)
    {
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await WithinAsync(app.DisposeAsync().AsTask(), $"disposing {what} after a failed start");
            throw;
        }
    }

    /// <summary>
    /// Stops and disposes a test server: open connections are aborted after <see cref="ShutdownTimeout"/>, and a stop or
    /// disposal that still hangs fails naming <paramref name="what"/>.
    /// </summary>
    public static Task StopAsync(WebApplication app, string what) => StopAsync(app, Hang, what);

    /// <summary>As <see cref="StopAsync(WebApplication, string)"/>, each of the stop and the disposal within <paramref name="bound"/>.</summary>
    public static async Task StopAsync(WebApplication app, TimeSpan bound, string what)
    {
        using (var stopping = new CancellationTokenSource(ShutdownTimeout))
        {
            await WithinAsync(app.StopAsync(stopping.Token), bound, $"stopping {what}");
        }

        await WithinAsync(app.DisposeAsync().AsTask(), bound, $"disposing {what}");
    }

    private static TimeoutException Hung(string what, TimeSpan bound, TimeoutException inner) =>
        new($"Hung: {what} did not finish within {bound.TotalSeconds:0.###} s.", inner);
}
