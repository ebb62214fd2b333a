using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Auth.Test;

/// <summary>The test authentication role (A1, A3): a tester types the attribute values.</summary>
public static class AuthTestRole
{
    public static IServiceCollection AddAuthTest(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAuthTest(this IEndpointRouteBuilder app) => app;
}
