using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Hosting;

/// <summary>
/// The tab icon of every role's pages: a plain speech balloon in the Utrecht theme's blue, our own drawing, so browsers
/// stop logging a 404 for /favicon.ico. Pages link the SVG; /favicon.ico serves the same for browsers that ask anyway.
/// </summary>
public static class Favicon
{
    public const string Path = "/assets/favicon.svg";

    private const string Svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#24578f"/><path d="M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" fill="#fff"/></svg>
        """;

    private static readonly byte[] Content = Encoding.UTF8.GetBytes(Svg);

    public static IEndpointRouteBuilder MapFavicon(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Serve).ExcludeFromDescription();
        app.MapGet("/favicon.ico", Serve).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=86400";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(Content, "image/svg+xml");
    }
}
