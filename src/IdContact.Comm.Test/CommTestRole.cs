using IdContact.Comm.Test.Attributes;
using IdContact.Comm.Test.Pages;
using IdContact.Comm.Test.Sessions;
using IdContact.Comm.Test.Start;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Comm.Test;

/// <summary>The test communication role (M1, M2): shows the received, verified attributes.</summary>
public static class CommTestRole
{
    public static IServiceCollection AddCommTest(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ResultReader>();
        services.AddSingleton<CommSessionStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapCommTest(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/comm-test").WithTags("Comm test");
        group.MapStartCommunication();
        group.MapAttrUrl();
        group.MapSessionPage();
        return app;
    }
}
