namespace IdContact.Hosting;

/// <summary>The loop of a periodic background service.</summary>
public static class Ticks
{
    /// <summary>
    /// The next tick, or false once the host stops. A stop is no failure: a host whose start failed (a port in use, a
    /// database that refused) disposes its services without StopAsync, and would log the cancellation as a crashed
    /// background service, burying the real cause.
    /// </summary>
    public static async Task<bool> NextAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
