using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>Keeps the server's errors during the sweep: an exception nothing handled is a finding even when the answer looked fine.</summary>
public sealed class SweepLog : ILoggerProvider
{
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>While false (start-up, sign-in), nothing is kept.</summary>
    public bool Recording { get; set; }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>
    /// A bad request that Kestrel or the routing turned into its 4xx (a body over the limit, a malformed form) is the
    /// pipeline doing its job; any other exception logged as an error is not.
    /// </summary>
    private static bool IsPipeline4xx(Exception? exception) =>
        exception is BadHttpRequestException { StatusCode: < 500 };

    private sealed class Logger(SweepLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (log.Recording && logLevel >= LogLevel.Error && !IsPipeline4xx(exception))
            {
                log.Errors.Enqueue($"{logLevel} {category} ({eventId.Name}): {formatter(state, exception)} {exception?.GetType().FullName}: {exception?.Message}\n{exception?.StackTrace}");
            }
        }
    }
}
