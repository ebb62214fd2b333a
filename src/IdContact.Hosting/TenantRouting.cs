using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>Every role serves each configured tenant under <c>/{tenant}</c>; unknown tenants get a 404 problem (<see cref="UnknownTenants"/>).</summary>
public static class TenantRouting
{
    public const string RouteValue = "tenant";

    /// <summary>A group under <c>/{tenant}</c>; an unknown tenant never reaches it (<see cref="UnknownTenants"/>).</summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string suffix = "") => app.MapGroup("/{tenant}" + suffix);

    public static string TenantTag(this HttpContext http) =>
        (http.GetRouteValue(RouteValue) as string ?? "").ToLowerInvariant();

    public static TenantOptions Tenant(this HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[http.TenantTag()];
}
