using IdContact.Auth.Irma.Assets;
using IdContact.Auth.Irma.Fake;
using IdContact.Auth.Irma.Irma;
using IdContact.Auth.Irma.Session;
using IdContact.Auth.Irma.Start;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma;

/// <summary>
/// The IRMA/Yivi authentication role (A1, A2): a disclosure session at an IRMA server, a QR code or app link for the
/// resident, and only a valid, complete disclosure becomes a signed and encrypted result. Optionally serves a fake
/// IRMA server (demo and tests) at /irma-fake.
/// </summary>
public static class AuthIrmaRole
{
    public static IServiceCollection AddAuthIrma(this IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<AuthIrmaKeys>();
        services.AddSingleton<IrmaSessionLinks>();
        services.AddSingleton(sp => new FinishedSessions(sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<Outcomes>();
        services.AddHttpClient<IrmaClient>(IrmaClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(options.AuthIrma.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        ResultDelivery.Register(services);
        if (options.AuthIrma.UseFakeServer)
        {
            services.AddSingleton<FakeSessions>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapAuthIrma(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/auth-irma").WithTags("Auth IRMA");
        group.MapStartAuthentication();
        group.MapSessionPage();
        group.MapFinish();
        group.MapPageAssets();

        if (app.ServiceProvider.GetRequiredService<IOptions<IdContactOptions>>().Value.AuthIrma.UseFakeServer)
        {
            var fake = app.MapGroup("/irma-fake").ExcludeFromDescription();
            fake.MapFakeRequestorApi();
            fake.MapFakePhone();
            fake.MapPageAssets();
        }

        return app;
    }
}
