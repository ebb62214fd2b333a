using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Hosting;

/// <summary>
/// One role (see docs/architecture.md): it owns its settings, their checks, its demo defaults, its services and its
/// endpoints. The server keeps one list of roles and asks each of these in turn; adding a role is a new project and
/// one line in that list.
/// </summary>
public interface IRole
{
    /// <summary>The role's name in <c>--roles</c>, e.g. "desk".</summary>
    string Name { get; }

    /// <summary>Exists only to try and test the product: runs only in demo mode, and "all" brings it only there.</summary>
    bool DemoOnly => false;

    /// <summary>Whether "all" brings this role, once its settings are read (e.g. auth-irma only with an IRMA server).</summary>
    bool RunsWithAll(IdContactOptions options) => true;

    /// <summary>Reads the role's own configuration sections into <see cref="IdContactOptions.Settings{T}"/>.</summary>
    void Bind(IConfiguration configuration, IdContactOptions options);

    /// <summary>The root sections <see cref="Bind"/> reads, with their options classes (e.g. "Desk"): a key in a
    /// configuration file that none of these nor <see cref="IdContactOptions"/> holds is refused as misspelt.</summary>
    IReadOnlyDictionary<string, Type> Sections { get; }

    /// <summary>The sections <see cref="Bind"/> reads under each municipality, <c>Tenants:{tag}:…</c>.</summary>
    IReadOnlyDictionary<string, Type> TenantSections => new Dictionary<string, Type>();

    /// <summary>
    /// Fills what the configuration left out. <paramref name="developmentKeys"/> is given in demo mode only: then the
    /// role takes its demo defaults and generated keys; outside demo mode only harmless defaults are filled.
    /// </summary>
    void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
    }

    /// <summary>Adds one plain sentence per problem with the role's settings; called only for roles that run.</summary>
    void Validate(IdContactOptions options, List<string> problems);

    /// <summary>The key this installation's core sends to the role's start endpoint, if the role requires one.</summary>
    string? CoreKey(IdContactOptions options) => null;

    void AddServices(IServiceCollection services, IdContactOptions options);

    /// <summary>
    /// Middleware that only sets response headers by path: it runs first, before the rate limiter, so a 429 (or any
    /// other early answer) carries the same headers as the page would.
    /// </summary>
    void UseResponseHeaders(IApplicationBuilder app)
    {
    }

    /// <summary>Middleware the role needs, in the order roles are listed, before any endpoint runs.</summary>
    void UseMiddleware(IApplicationBuilder app)
    {
    }

    void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options);
}
