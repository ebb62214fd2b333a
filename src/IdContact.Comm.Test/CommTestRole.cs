using IdContact.Comm.Test.Attributes;
using IdContact.Comm.Test.Pages;
using IdContact.Comm.Test.Sessions;
using IdContact.Comm.Test.Start;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdContact.Comm.Test;

/// <summary>The test communication role (M1, M2): shows the received, verified attributes.</summary>
public sealed class CommTestRole : IRole
{
    public string Name => "comm-test";

    public bool DemoOnly => true;

    public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["CommTest"] = typeof(CommTestOptions) };

    public void Bind(IConfiguration configuration, IdContactOptions options) => configuration.GetSection("CommTest").Bind(options.CommTest());

    public void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
        if (developmentKeys is null)
        {
            return;
        }

        var commTest = options.CommTest();
        commTest.DecryptionKey ??= developmentKeys.CommDecryption.ToConfig();
        if (commTest.VerificationKeys.Count == 0)
        {
            commTest.VerificationKeys.Add(developmentKeys.TrustedTestKey());
        }

        commTest.ApiKey ??= DemoConfiguration.DemoPluginKey;
    }

    public void Validate(IdContactOptions options, List<string> problems)
    {
        var commTest = options.CommTest();
        ConfigChecks.ApiKey("CommTest:ApiKey", commTest.ApiKey, problems);
        ConfigChecks.PrivateKey("CommTest:DecryptionKey", commTest.DecryptionKey, problems);
        ConfigChecks.PublicKeys("CommTest:VerificationKeys", commTest.VerificationKeys, problems);
    }

    public string? CoreKey(IdContactOptions options) => options.CommTest().ApiKey;

    public void AddServices(IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ResultReader>();
        services.AddSingleton<CommSessionStore>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options)
    {
        var group = app.MapTenantGroup("/comm-test").WithTags("Comm test");
        group.MapStartCommunication();
        group.MapAttrUrl();
        group.MapSessionPage();
    }
}
