using IdContact.Auth.Test.Session;
using IdContact.Auth.Test.Start;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Auth.Test;

/// <summary>
/// The test authentication role (A1, A3): a tester types the attribute values, the role signs and encrypts them
/// like a real auth plugin and delivers them. It keeps no server state: the request travels in the page link.
/// </summary>
public static class AuthTestRole
{
    public static IServiceCollection AddAuthTest(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<AuthTestKeys>();
        services.AddSingleton<SessionLinks>();
        ResultDelivery.Register(services);
        return services;
    }

    public static IEndpointRouteBuilder MapAuthTest(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/auth-test").WithTags("Auth test");
        group.MapStartAuthentication();
        group.MapSessionPage();
        return app;
    }
}
