using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IdContact.Core.Widget;

/// <summary>
/// A municipal page whose origin is not in <c>Core:AllowedOrigins</c> gets no CORS answer, so its widget says only that
/// the service cannot be reached and the browser's console alone names the cause. The operator is told in the log which
/// origin was refused, at most once a minute per instance (any site may send requests with any origin).
/// </summary>
public sealed class RefusedOrigins(TimeProvider time, IOptions<IdContactOptions> options, ILogger<RefusedOrigins> logger)
{
    private readonly string? _publicOrigin = options.Value.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        ? uri.GetLeftPart(UriPartial.Authority)
        : null;

    private long _lastWarning = long.MinValue;

    public static void Use(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Request.Headers.Origin is [{ } origin]
            && context.GetEndpoint()?.Metadata.GetMetadata<ICorsMetadata>() is not null
            && !context.Response.Headers.ContainsKey(HeaderNames.AccessControlAllowOrigin)
            && context.RequestServices.GetRequiredService<RefusedOrigins>() is var refused
            && !refused.IsOwn(context.Request, origin))
        {
            refused.Warn(origin);
        }
    });

    // The core's own pages (behind a proxy the request's scheme and host may not be the public ones).
    private bool IsOwn(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase);

    private void Warn(string origin)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1))
            || Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
        {
            return;
        }

        // Only a well-formed origin is quoted: the header is the caller's and must not shape the log.
        var named = origin.Length <= 200 && Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : "a malformed origin";
        logger.LogWarning(
            "A page at {Origin} called the core from the browser and was refused: a municipal website that uses the widget must be listed in Core:AllowedOrigins (further refusals are not logged for a minute)",
            named);
    }
}
