using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Comm.Test;

/// <summary>The test communication role (M1, M2): shows the received, verified attributes.</summary>
public static class CommTestRole
{
    public static IServiceCollection AddCommTest(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCommTest(this IEndpointRouteBuilder app) => app;
}
