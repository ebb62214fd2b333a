using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>Every role serves each configured tenant under <c>/{tenant}</c>; unknown tenants get a 404 problem.</summary>
public static class TenantRouting
{
    public const string RouteValue = "tenant";

    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string suffix = "")
    {
        var group = app.MapGroup("/{tenant}" + suffix);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var tenant = http.GetRouteValue(RouteValue) as string;
            var options = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value;
            if (tenant is null || !options.Tenants.ContainsKey(tenant))
            {
                return Problems.NotFound("Unknown municipality", $"There is no municipality '{tenant}' on this server.");
            }

            return await next(context);
        });
        return group;
    }

    public static string TenantTag(this HttpContext http) =>
        (http.GetRouteValue(RouteValue) as string ?? "").ToLowerInvariant();

    public static TenantOptions Tenant(this HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[http.TenantTag()];
}
