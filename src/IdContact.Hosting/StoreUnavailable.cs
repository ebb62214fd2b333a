using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Hosting;

/// <summary>
/// A database or backplane that does not answer is a 503 problem with Retry-After, not a 500: the request was fine,
/// the service is briefly unable to serve it. Connections are opened per request, so service resumes by itself.
/// </summary>
public sealed class StoreUnavailable(ILogger<StoreUnavailable> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || http.Response.HasStarted)
        {
            return false;
        }

        // The exception's message may name hosts or databases: logged here, never sent.
        logger.LogWarning("A store did not answer: {Error}", exception.GetType().Name);
        http.Response.Headers.RetryAfter = "5";
        await Problems.Make(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", "The service cannot reach its database right now; try again in a few seconds.")
            .ExecuteAsync(http);
        return true;
    }

    /// <summary>Connection failures and time-outs of a store, however EF Core wraps them.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Transient only: a constraint violation that escaped is a bug and stays a 500.
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException
                || e.GetType().Name is "RedisConnectionException")
            {
                return true;
            }
        }

        return false;
    }
}
