using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>
/// An endpoint under <c>/{tenant}</c> of a municipality this server does not serve is a 404 problem before anything else
/// runs: before sign-in (whose redirect would name the made-up municipality), antiforgery, a hub's negotiation or a
/// handler. One place for every role, page, API and hub.
/// </summary>
public static class UnknownTenants
{
    public static IApplicationBuilder UseUnknownTenantsNotFound(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (TenantOf(http) is { } tenant && !IsServed(http, tenant))
            {
                await Problems.NotFound("Unknown municipality", $"There is no municipality '{tenant}' on this server.").ExecuteAsync(http);
                return;
            }

            await next(http);
        });

    /// <summary>The municipality a request's endpoint lies under, or null when it is not under <c>/{tenant}</c>.</summary>
    private static string? TenantOf(HttpContext http) => http.GetEndpoint() switch
    {
        RouteEndpoint route => route.RoutePattern.GetParameter(TenantRouting.RouteValue) is null
            ? null
            : http.GetRouteValue(TenantRouting.RouteValue) as string ?? "",
        // A wrong method gets routing's own 405 endpoint, which has no pattern (nor route values): the path is under a
        // municipality when its first segment is no route's literal one (assets, health, ...).
        { } => FirstSegment(http) is { } first && !LiteralFirstSegments(http).Contains(first) ? first : null,
        null => null,
    };

    private static string? FirstSegment(HttpContext http) =>
        http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static HashSet<string> LiteralFirstSegments(HttpContext http) =>
        http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.PathSegments.FirstOrDefault()?.Parts is [RoutePatternLiteralPart literal] ? literal.Content : null)
            .OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsServed(HttpContext http, string? tenant) =>
        tenant is not null && http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants.ContainsKey(tenant);
}
