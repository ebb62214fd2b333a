using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.Hosting;

/// <summary>
/// Refuses a resident's form post sent from another website (cross-site request forgery). The residents' forms carry no
/// antiforgery token (they set no cookie before a resident starts), so the browser's own word is used: Sec-Fetch-Site,
/// sent by every current browser, must say same-origin (or none: typed, bookmarked); an older browser's Origin must
/// name this host. A request with neither (a program, not a browser acting for a visited page) is not refused.
/// </summary>
public static class SameOriginPosts
{
    public static TBuilder RequireSameOriginPosts<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            HttpMethods.IsPost(context.HttpContext.Request.Method) && IsCrossSite(context.HttpContext.Request)
                ? Problems.Make(StatusCodes.Status403Forbidden, "Cross-site form", "This form may only be sent from this service's own pages.")
                : await next(context));

    public static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }

        // No Origin, or "null" (an older browser on a page with Referrer-Policy: no-referrer, as the chat and video pages
        // have, sends that for its own forms): nothing to go by, so not refused.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null")
        {
            return false;
        }

        // Host only: behind a TLS-terminating proxy the request's scheme may not be the page's.
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
