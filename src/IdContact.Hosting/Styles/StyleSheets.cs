using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace IdContact.Hosting;

/// <summary>
/// The one style sheet of every role's pages (NL Design System tokens and components from npm, then our layout) and
/// each tenant's brand.css. Pages link both with a version in the URL, so browsers may keep them for a year.
/// </summary>
public static class StyleSheets
{
    public const string SharedPath = "/assets/idcontact.css";

    private const string CssType = "text/css; charset=utf-8";
    private const string Immutable = "public, max-age=31536000, immutable";

    // Tokens first (the theme class), then the components that read them, then our layout on top.
    private static readonly Lazy<Sheet> Shared = new(() =>
        Sheet.From(string.Join('\n', new[] { "tokens.css", "components.css", "html.css", "layout.css" }.Select(Read))));

    /// <summary>The shared sheet's versioned URL path (without PathBase).</summary>
    public static string SharedHref => $"{SharedPath}?v={Shared.Value.Version}";

    /// <summary>A tenant's brand.css URL path, versioned by its content.</summary>
    public static string BrandHref(string tenantTag, BrandingOptions branding) =>
        $"/{Uri.EscapeDataString(tenantTag)}/assets/brand.css?v={Sheet.VersionOf(BrandCss.For(branding))}";

    /// <summary>Serves <c>/assets/idcontact.css</c>, <c>/{tenant}/assets/brand.css</c> and the favicon for whatever roles run.</summary>
    public static IEndpointRouteBuilder MapStyles(this IEndpointRouteBuilder app)
    {
        app.MapGet(SharedPath, (HttpContext http) => Serve(http, Shared.Value)).ExcludeFromDescription();
        app.MapTenantGroup("/assets")
            .MapGet("/brand.css", (HttpContext http) => Serve(http, Sheet.From(BrandCss.For(http.Tenant().Branding))))
            .ExcludeFromDescription();
        app.MapFavicon();
        return app;
    }

    private static IResult Serve(HttpContext http, Sheet sheet)
    {
        var headers = http.Response.Headers;
        // Only the URL the pages link (with this very version) is immutable; a bare or stale URL is revalidated.
        headers.CacheControl = http.Request.Query["v"] == sheet.Version ? Immutable : "no-cache";
        headers.ETag = sheet.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers.Vary = HeaderNames.AcceptEncoding;
        if (http.Request.Headers.IfNoneMatch.Contains(sheet.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(sheet.Gzip, CssType);
        }

        return Results.Bytes(sheet.Content, CssType);
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("styles/" + name)
            ?? throw new InvalidOperationException($"Embedded style sheet {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Sheet(byte[] Content, byte[] Gzip, string Version)
    {
        public string ETag => $"\"{Version}\"";

        public static Sheet From(string css)
        {
            var content = Encoding.UTF8.GetBytes(css);
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
            {
                gzip.Write(content);
            }

            return new Sheet(content, buffer.ToArray(), VersionOf(css));
        }

        public static string VersionOf(string css) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)))[..16];
    }
}
