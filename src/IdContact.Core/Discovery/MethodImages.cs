using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Core.Discovery;

/// <summary>Neutral icons for the demo methods, served at /static/{name}.svg.</summary>
public static class MethodImages
{
    private static readonly Dictionary<string, string> Icons = new(StringComparer.Ordinal)
    {
        ["auth-test"] = Icon("#0b4f9c", "M20 30l7 7 14-16"),
        ["comm-test"] = Icon("#2e7d32", "M16 22h32M16 32h24M16 42h16"),
        ["phone"] = Icon("#6a1b9a", "M22 16c-4 0-6 4-4 9 3 8 9 14 17 17 5 2 9 0 9-4l-6-5-4 3c-4-2-7-5-9-9l3-4z"),
        ["chat"] = Icon("#00695c", "M14 18h36v22H30l-9 8v-8h-7z"),
        ["video"] = Icon("#ad1457", "M12 22h28v20H12zM40 29l12-7v20l-12-7"),
        ["irma"] = Icon("#c62828", "M32 14v36M20 24h24"),
    };

    public static void MapMethodImages(this IEndpointRouteBuilder app) =>
        app.MapGet("/static/{name}.svg", (string name) =>
                Icons.TryGetValue(name, out var svg) ? Results.Text(svg, "image/svg+xml") : Results.NotFound())
            .ExcludeFromDescription()
            .RequireCors(CoreRole.CorsPolicy);

    private static string Icon(string color, string path) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\" role=\"img\"><rect width=\"64\" height=\"64\" rx=\"12\" fill=\"{color}\"/>" +
        $"<path d=\"{path}\" fill=\"none\" stroke=\"#fff\" stroke-width=\"4\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>";
}
