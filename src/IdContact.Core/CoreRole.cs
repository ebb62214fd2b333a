using IdContact.Core.Discovery;
using IdContact.Core.Plugins;
using IdContact.Core.Shims;
using IdContact.Core.Start;
using IdContact.Core.Widget;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Core;

/// <summary>The orchestrator role (C1–C7). It holds no auth or comm private key and reads no attributes.</summary>
public static class CoreRole
{
    public const string CorsPolicy = "idcontact-core";

    public static IServiceCollection AddCore(this IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StateTokens>();
        services.AddScoped<SessionStarter>();
        services.AddHttpClient<PluginClient>(PluginClient.HttpClientName, client =>
                client.Timeout = TimeSpan.FromSeconds(options.Core.PluginTimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. options.Core.AllowedOrigins.Select(o => o.TrimEnd('/'))])
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "Accept")));
        return services;
    }

    public static IApplicationBuilder UseCore(this IApplicationBuilder app) => app.UseCors();

    public static IEndpointRouteBuilder MapCore(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapTenantGroup().RequireCors(CorsPolicy).WithTags("Core");
        tenant.MapDiscovery();
        tenant.MapStart();
        tenant.MapShims();
        tenant.MapWidget();
        app.MapMethodImages();
        return app;
    }
}
