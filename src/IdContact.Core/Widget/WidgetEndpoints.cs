using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace IdContact.Core.Widget;

/// <summary><c>GET /{tenant}/widget.js</c> (W1): the script a municipal page includes to start a contact.</summary>
public static class WidgetEndpoints
{
    private static readonly Lazy<(byte[] Body, string ETag)> Script = new(Load);

    public static void MapWidget(this RouteGroupBuilder tenant) =>
        tenant.MapGet("/widget.js", (HttpContext http) =>
            {
                var (body, etag) = Script.Value;
                var headers = http.Response.Headers;
                // Short caching: municipal pages pick up a new release within minutes, and revalidate cheaply.
                headers.CacheControl = "public, max-age=300";
                headers.ETag = etag;
                headers.XContentTypeOptions = "nosniff";
                if (http.Request.Headers.IfNoneMatch == etag)
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                return Results.Bytes(body, "text/javascript; charset=utf-8");
            })
            .WithName("Widget")
            .WithSummary("The resident widget script for this municipality's pages.")
            .ExcludeFromDescription();

    private static (byte[], string) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("widget.js")
            ?? throw new InvalidOperationException("widget.js is not embedded in IdContact.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var body = copy.ToArray();
        return (body, new EntityTagHeaderValue('"' + Convert.ToHexString(SHA256.HashData(body))[..16] + '"').ToString());
    }
}
