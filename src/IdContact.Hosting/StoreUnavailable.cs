using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
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

    /// <summary>Connection failures, time-outs and storage that cannot be written, however EF Core wraps them.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Transient only: a constraint violation that escaped is a bug and stays a 500.
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException
                || e.GetType().Name is "RedisConnectionException" || IsSqliteStorageFailure(e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SQLite's disk full (13), I/O error (10), read-only (8: the file system remounted read-only after errors) and
    /// cannot open (14). Microsoft.Data.Sqlite does not call them transient, but they are the operator's to mend like
    /// PostgreSQL's disk_full (53100), which Npgsql does; so both providers answer 503 and the request can be retried.
    /// </summary>
    private static bool IsSqliteStorageFailure(Exception e) =>
        e is SqliteException { SqliteErrorCode: 8 or 10 or 13 or 14 };
}
