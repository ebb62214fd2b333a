using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>
/// One route of the running server as ASP.NET Core's routing knows it (not a hand-kept list), with what the sweep
/// needs to know to send it bad input.
/// </summary>
/// <param name="Api">In the OpenAPI description (a protocol or exchange endpoint): a 4xx must be a problem document.</param>
/// <param name="Hub">A SignalR hub's connection or negotiate route: SignalR owns what its 4xx bodies look like.</param>
/// <param name="Authorized">Needs a signed-in account: only such routes are swept again with cookies.</param>
/// <param name="QueryNames">The handler's simple parameters that are not route values: bound from the query string.</param>
/// <param name="HubType">The hub class behind a hub's connection route, whose methods the hub sweep calls.</param>
/// <param name="AnyMethod">The route names no HTTP method (hubs, health checks, metrics): <paramref name="Methods"/> is then GET and POST.</param>
public sealed record SweptEndpoint(
    RoutePattern Pattern, string Route, IReadOnlyList<string> Methods, bool Api, bool Hub, bool Authorized, IReadOnlyList<string> QueryNames, Type? HubType,
    bool AnyMethod = false)
{
    private static readonly string[] Swept = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static IReadOnlyList<SweptEndpoint> All(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(From)
            .OrderBy(e => e.Route, StringComparer.Ordinal)
            .ThenBy(e => string.Join(",", e.Methods), StringComparer.Ordinal)];

    private static SweptEndpoint From(RouteEndpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var declared = metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        var methods = declared is null || declared.Count == 0 ? ["GET", "POST"] : declared.Where(m => Swept.Contains(m)).ToArray();
        var hubType = metadata.GetMetadata<HubMetadata>()?.HubType;
        var hub = hubType is not null;
        var handler = metadata.GetMetadata<MethodInfo>();
        var api = handler is not null && !hub && metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription != true;
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var queryNames = handler?.GetParameters()
            .Where(p => p.Name is not null && !routeNames.Contains(p.Name) && IsSimple(p.ParameterType))
            .Select(p => p.Name!)
            .ToArray() ?? [];
        return new SweptEndpoint(
            endpoint.RoutePattern, endpoint.RoutePattern.RawText ?? endpoint.DisplayName ?? "?", methods, api, hub,
            metadata.GetMetadata<IAuthorizeData>() is not null, queryNames, hubType, declared is null || declared.Count == 0);
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset);
    }

    /// <summary>The path with each parameter filled by <paramref name="value"/> (already percent-encoded as it is sent).</summary>
    public string Path(Func<RoutePatternParameterPart, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => Uri.EscapeDataString(literal.Content),
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => value(parameter),
                    _ => "",
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    public bool HasParameters => Pattern.Parameters.Count > 0;

    public bool HasTenant => Pattern.Parameters.Any(p => p.Name == "tenant");

    public override string ToString() => $"{string.Join("|", Methods)} {Route}";
}
