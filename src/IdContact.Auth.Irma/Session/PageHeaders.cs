using Microsoft.AspNetCore.Http;

namespace IdContact.Auth.Irma.Session;

/// <summary>Headers of every page and answer that carries a session link.</summary>
internal static class PageHeaders
{
    /// <summary>Script and style come only from this server (no inline code), images also as data: URIs (the QR code).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The link is a bearer secret for the IRMA session: keep it out of caches and Referer headers.</summary>
    public static void Private(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
