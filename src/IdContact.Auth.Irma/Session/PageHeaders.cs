using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Session;

/// <summary>Headers of every page and answer that carries a session link.</summary>
internal static class PageHeaders
{
    /// <summary>Script and style come only from this server (no inline code), images also as data: URIs (the QR code).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>A tenant's logo on another https origin is the one image from elsewhere the page may show.</summary>
    public static string PolicyFor(HttpContext http)
    {
        var logo = http.GetRouteValue(TenantRouting.RouteValue) is string tag
            && http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants.TryGetValue(tag, out var tenant)
            && Uri.TryCreate(tenant.Branding.LogoUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
                ? url.GetLeftPart(UriPartial.Authority)
                : null;
        return logo is null ? ContentSecurityPolicy : ContentSecurityPolicy.Replace("img-src 'self' data:", $"img-src 'self' data: {logo}", StringComparison.Ordinal);
    }

    /// <summary>The link is a bearer secret for the IRMA session: keep it out of caches and Referer headers.</summary>
    public static void Private(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.ContentSecurityPolicy = PolicyFor(http);
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
