using IdContact.Auth.Test.Session;
using IdContact.Auth.Test.Start;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Auth.Test;

/// <summary>
/// The test authentication role (A1, A3): a tester types the attribute values, the role signs and encrypts them
/// like a real auth plugin and delivers them. It keeps no server state: the request travels in the page link.
/// </summary>
public sealed class AuthTestRole : IRole
{
    public string Name => "auth-test";

    public bool DemoOnly => true;

    public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["AuthTest"] = typeof(AuthTestOptions) };

    public void Bind(IConfiguration configuration, IdContactOptions options) => configuration.GetSection("AuthTest").Bind(options.AuthTest());

    public void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
        var authTest = options.AuthTest();
        if (authTest.SigningKey is { } configured && TryPublicPem(configured) is { } pem)
        {
            // Whatever this key is called where it is trusted, what it signs was typed in by a tester.
            options.MarkTestSigningKey(pem);
        }

        if (developmentKeys is null)
        {
            return;
        }

        authTest.SigningKey ??= developmentKeys.AuthSigning.ToConfig();
        authTest.EncryptionKey ??= developmentKeys.CommDecryption.PublicKey.ToConfig();
        authTest.ApiKey ??= DemoConfiguration.DemoPluginKey;
    }

    public void Validate(IdContactOptions options, List<string> problems)
    {
        var authTest = options.AuthTest();
        ConfigChecks.ApiKey("AuthTest:ApiKey", authTest.ApiKey, problems);
        ConfigChecks.PrivateKey("AuthTest:SigningKey", authTest.SigningKey, problems);
        ConfigChecks.PublicKey("AuthTest:EncryptionKey", authTest.EncryptionKey, problems);
    }

    public string? CoreKey(IdContactOptions options) => options.AuthTest().ApiKey;

    private static string? TryPublicPem(Protocol.Keys.KeyConfig key)
    {
        try
        {
            return Protocol.Keys.PrivateKey.Load(key).PublicKey.ToPem();
        }
        catch (Protocol.Keys.KeyLoadException)
        {
            return null; // The validator names the broken key.
        }
    }

    public void AddServices(IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddSingleton<AuthTestKeys>();
        services.AddSingleton<SessionLinks>();
        ResultDelivery.Register(services);
    }

    public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options)
    {
        var group = app.MapTenantGroup("/auth-test").WithTags("Auth test");
        group.MapStartAuthentication();
        group.MapSessionPage();
    }
}
