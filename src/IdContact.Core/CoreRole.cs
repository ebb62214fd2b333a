using IdContact.Core.Discovery;
using IdContact.Core.Plugins;
using IdContact.Core.Shims;
using IdContact.Core.Start;
using IdContact.Core.Widget;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Core;

/// <summary>The orchestrator role (C1–C7). It holds no auth or comm private key and reads no attributes.</summary>
public sealed class CoreRole : IRole
{
    public const string CorsPolicy = "idcontact-core";

    public string Name => "core";

    public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["Core"] = typeof(CoreOptions) };

    public void Bind(IConfiguration configuration, IdContactOptions options) => configuration.GetSection("Core").Bind(options.Core());

    /// <summary>The state secret is generated when absent, in every mode: it is no key anyone else must know.</summary>
    public void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
        var core = options.Core();
        if (string.IsNullOrEmpty(core.StateSecret))
        {
            core.StateSecret = DevelopmentKeys.LoadOrCreateSecret(options.DataDirectory, "core-state.secret");
        }

        // The demo municipal site on its own origin calls the core from the browser.
        if (options.DemoSiteUrl is { Length: > 0 } site && !core.AllowedOrigins.Contains(site.TrimEnd('/')))
        {
            core.AllowedOrigins.Add(site.TrimEnd('/'));
        }
    }

    public void Validate(IdContactOptions options, List<string> problems)
    {
        var core = options.Core();
        if (core.PluginTimeoutSeconds is < 1 or > 300)
        {
            problems.Add("Core:PluginTimeoutSeconds must be between 1 and 300.");
        }

        if (core.StateLifetimeMinutes is < 1 or > 1440)
        {
            problems.Add("Core:StateLifetimeMinutes must be between 1 and 1440.");
        }

        if (string.IsNullOrEmpty(core.StateSecret) || !IsLongBase64(core.StateSecret))
        {
            problems.Add("Core:StateSecret must be base64 of at least 32 random bytes.");
        }

        foreach (var origin in core.AllowedOrigins.Where(o => !ConfigChecks.IsHttpUrl(o)))
        {
            problems.Add($"Core:AllowedOrigins: '{origin}' is not an http(s) origin.");
        }
    }

    public void AddServices(IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StateTokens>();
        services.AddSingleton<CoreMetrics>();
        services.AddSingleton<Widget.RefusedOrigins>();
        services.AddScoped<SessionStarter>();
        services.TryAddSingleton<Hosting.AuthPlugins.AllowedTargets>();
        services.AddHttpClient<PluginClient>(PluginClient.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(options.Core().PluginTimeoutSeconds);
                client.MaxResponseContentBufferSize = PluginClient.MaxAnswerBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. options.Core().AllowedOrigins.Select(o => o.TrimEnd('/'))])
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "Accept")));
    }

    public void UseMiddleware(IApplicationBuilder app)
    {
        Widget.RefusedOrigins.Use(app); // around CORS, so it sees the preflights CORS answers itself
        app.UseCors();
    }

    public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options)
    {
        var tenant = app.MapTenantGroup().RequireCors(CorsPolicy).WithTags("Core");
        tenant.MapDiscovery();
        tenant.MapStart();
        tenant.MapShims();
        tenant.MapWidget();
        app.MapMethodImages();
    }

    private static bool IsLongBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32;
    }
}
