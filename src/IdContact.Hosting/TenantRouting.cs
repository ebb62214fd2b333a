using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
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
        (http.GetRouteValue(RouteValue) as string ?? FromPath(http) ?? "").ToLowerInvariant();

    /// <summary>
    /// SignalR's long polling hands a hub a copy of the request that keeps its endpoint and path but not its route values
    /// (dotnet/aspnetcore#53566): every hub connection over it then had no tenant and was closed. When the endpoint's
    /// pattern starts with <c>{tenant}</c>, the path's first segment is that value.
    /// </summary>
    private static string? FromPath(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.PathSegments: [{ Parts: [RoutePatternParameterPart { Name: RouteValue }] }, ..] }
        && http.Request.Path.Value?.Split('/', 3) is [_, { Length: > 0 } first, ..]
            ? Uri.UnescapeDataString(first)
            : null;

    public static TenantOptions Tenant(this HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[http.TenantTag()];
}
