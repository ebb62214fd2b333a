using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace IdContact.Core.Widget;

/// <summary><c>GET /{tenant}/widget.js</c> (W1): the script a municipal page includes to start a contact; and the phone page's.</summary>
public static class WidgetEndpoints
{
    public static void MapWidget(this RouteGroupBuilder tenant) =>
        tenant.MapEmbeddedScript("/widget.js", "widget.js")
            .WithName("Widget")
            .WithSummary("The resident widget script for this municipality's pages.");

    /// <summary>A script embedded in this assembly, served with a short cache and an ETag.</summary>
    public static RouteHandlerBuilder MapEmbeddedScript(this RouteGroupBuilder tenant, string route, string resource)
    {
        var script = new Lazy<(byte[] Body, string ETag)>(() => Load(resource));
        return tenant.MapGet(route, (HttpContext http) =>
            {
                var (body, etag) = script.Value;
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
            .ExcludeFromDescription();
    }

    private static (byte[], string) Load(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(resource + " is not embedded in IdContact.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var body = copy.ToArray();
        return (body, new EntityTagHeaderValue('"' + Convert.ToHexString(SHA256.HashData(body))[..16] + '"').ToString());
    }
}
