using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
            if (http.GetEndpoint() is RouteEndpoint endpoint
                && endpoint.RoutePattern.GetParameter(TenantRouting.RouteValue) is not null
                && !IsServed(http, http.GetRouteValue(TenantRouting.RouteValue) as string))
            {
                var tenant = http.GetRouteValue(TenantRouting.RouteValue) as string;
                await Problems.NotFound("Unknown municipality", $"There is no municipality '{tenant}' on this server.").ExecuteAsync(http);
                return;
            }

            await next(http);
        });

    public static bool IsServed(HttpContext http, string? tenant) =>
        tenant is not null && http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants.ContainsKey(tenant);
}
