using System.Reflection;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Auth.Irma.Assets;

/// <summary>The pages' script, embedded in the assembly and served as files so the CSP forbids inline code.</summary>
public static class PageAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["irma.js"] = (Read("irma.js"), "text/javascript; charset=utf-8"),
    };

    /// <summary>Serves <c>{group}/assets/{name}</c>.</summary>
    public static void MapPageAssets(this IEndpointRouteBuilder group) =>
        group.MapGet("/assets/{name}", (HttpContext http, string name) =>
            {
                if (!Files.TryGetValue(name, out var file))
                {
                    return Results.NotFound();
                }

                http.Response.Headers.CacheControl = "public, max-age=3600";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(file.Content, file.Type);
            })
            .ExcludeFromDescription();

    /// <summary>The absolute path of a tenant's assets, e.g. "/arnhem/auth-irma/assets/".</summary>
    public static string BaseFor(HttpContext http) => $"{http.Request.PathBase}/{Uri.EscapeDataString(http.TenantTag())}/auth-irma/assets/";

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IdContact.Auth.Irma.Assets." + name)
            ?? throw new InvalidOperationException($"Embedded asset {name} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
