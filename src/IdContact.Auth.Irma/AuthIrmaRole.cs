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
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Auth.Irma;

/// <summary>
/// The IRMA/Yivi authentication role (A1, A2): a disclosure session at an IRMA server, a QR code or app link for the
/// resident, and only a valid, complete disclosure becomes a signed and encrypted result. Optionally serves a fake
/// IRMA server (demo and tests) at /irma-fake.
/// </summary>
public sealed class AuthIrmaRole : IRole
{
    public string Name => "auth-irma";

    /// <summary>It cannot work without an IRMA server, and a config written before the role existed must keep starting.</summary>
    public bool RunsWithAll(IdContactOptions options) => options.AuthIrma().IsConfigured;

    public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["AuthIrma"] = typeof(AuthIrmaOptions) };

    public void Bind(IConfiguration configuration, IdContactOptions options) => configuration.GetSection("AuthIrma").Bind(options.AuthIrma());

    public void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys) =>
        AuthIrmaDemo.Fill(options, developmentKeys);

    public void Validate(IdContactOptions options, List<string> problems)
    {
        var irma = options.AuthIrma();
        AuthIrmaValidator.Validate(options, problems);
        ConfigChecks.ApiKey("AuthIrma:ApiKey", irma.ApiKey, problems);
        ConfigChecks.PrivateKey("AuthIrma:SigningKey", irma.SigningKey, problems, options.IsDemo);
        ConfigChecks.PublicKey("AuthIrma:EncryptionKey", irma.EncryptionKey, problems);
        if (irma.UseFakeServer && !options.IsDemo)
        {
            problems.Add("AuthIrma:UseFakeServer: the fake IRMA server runs only with \"Demo\": true.");
        }
    }

    public string? CoreKey(IdContactOptions options) => options.AuthIrma().ApiKey;

    public void AddServices(IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<AuthIrmaKeys>();
        services.AddSingleton<IrmaSessionLinks>();
        services.AddSingleton(sp => new FinishedSessions(sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<Outcomes>();
        services.AddHttpClient<IrmaClient>(IrmaClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(options.AuthIrma().TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        ResultDelivery.Register(services);
        if (options.AuthIrma().UseFakeServer)
        {
            services.AddSingleton<FakeSessions>();
        }

    }

    public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options)
    {
        var group = app.MapTenantGroup("/auth-irma").WithTags("Auth IRMA");
        group.MapStartAuthentication();
        group.MapSessionPage();
        group.MapFinish();
        group.MapPageAssets();

        if (options.AuthIrma().UseFakeServer)
        {
            var fake = app.MapGroup("/irma-fake").ExcludeFromDescription();
            fake.MapFakeRequestorApi();
            fake.MapFakePhone();
            fake.MapPageAssets();
        }
    }
}
