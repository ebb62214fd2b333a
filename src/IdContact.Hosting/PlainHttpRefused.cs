using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Hosting;

/// <summary>
/// Outside demo mode the forms' antiforgery cookie is Secure, so a page with a form asked over plain http makes the
/// framework throw. That happens when a proxy is missing from TrustedProxies or sends no X-Forwarded-Proto: a 400 that
/// says https is needed, and a log line that says what to fix, instead of a 500 and a stack trace.
/// </summary>
public sealed class PlainHttpRefused(ILogger<PlainHttpRefused> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Request.IsHttps || http.Response.HasStarted || !IsSecureCookieOverHttp(exception))
        {
            return false;
        }

        logger.LogWarning(
            "A page that needs https was asked over http: list the reverse proxy in TrustedProxies and have it set X-Forwarded-Proto (deploy/nginx-idcontact.conf)");
        await Problems.Make(StatusCodes.Status400BadRequest, "https nodig / https required",
            "Deze pagina werkt alleen via https. This page works over https only.").ExecuteAsync(http);
        return true;
    }

    private static bool IsSecureCookieOverHttp(Exception exception) =>
        exception is InvalidOperationException
        && exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal) == true;
}
