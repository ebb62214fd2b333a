using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Core;

/// <summary>The orchestrator role (C1–C7).</summary>
public static class CoreRole
{
    public static IServiceCollection AddCore(this IServiceCollection services, IdContactOptions options) => services;

    public static IApplicationBuilder UseCore(this IApplicationBuilder app) => app;

    public static IEndpointRouteBuilder MapCore(this IEndpointRouteBuilder app) => app;
}
