using System.Text.RegularExpressions;
using IdContact.Roles.Tests.Sweep;
using Microsoft.AspNetCore.Routing.Patterns;

namespace IdContact.Roles.Tests;

/// <summary>
/// docs/endpoints.md and the routing of the running server (all roles, demo) kept in step: every route is listed there
/// with its methods, and every URL path it or another guide names is a route that serves the methods given.
/// </summary>
public sealed class EndpointDocsTests : IAsyncLifetime
{
    /// <summary>The reference: every path it names must be served, and it must name every route.</summary>
    private const string Reference = "docs/endpoints.md";

    /// <summary>Guides that name paths among other things: only a path under a prefix the server serves is checked.</summary>
    private static readonly string[] Guides =
    [
        "README.md", "docs/staff-guide.md", "docs/website.md", "docs/operations.md", "docs/development.md", "docs/cli.md",
        "docs/exchange-api.md", "docs/protocol.md", "docs/architecture.md", "docs/security.md", "deploy/two-instances.md",
    ];

    /// <summary>The demo's municipalities, as guides name them in example paths.</summary>
    private static readonly string[] Tenants = ["{}", "arnhem", "utrecht"];

    private RunningServer _server = null!;
    private IReadOnlyList<Route> _routes = [];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _routes = [.. SweptEndpoint.All(_server.App.Services).Select(e => new Route(e))];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Every_path_the_guides_name_is_a_route_with_the_methods_given()
    {
        var known = _routes.Select(r => r.Segments.FirstOrDefault(s => s != "{}") ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A guide may name a base URL of one segment without a method (the fake IRMA server's `/irma-fake`): routes start with it.
        var documented = Read(Reference).Concat(Guides.SelectMany(Read).Where(d => Served(d, known))
            .Select(d => d.Methods.Count == 0 && d.Segments.Count == 1 && Best(d, null).Count == 0 ? d with { Prefix = true } : d)).ToList();
        Assert.True(documented.Count > 100, $"only {documented.Count} paths read");

        var wrong = new List<string>();
        foreach (var path in documented)
        {
            foreach (var method in path.Methods.Count == 0 ? [null] : path.Methods.Cast<string?>())
            {
                if (Best(path, method).Count == 0)
                {
                    wrong.Add($"{path}: no route {method} {string.Join('/', path.Segments)}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "Named in the docs, not served:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_route_is_in_the_endpoint_reference_with_its_methods()
    {
        var covered = new HashSet<(Route, string?)>();
        foreach (var path in Read(Reference).Where(p => !p.Prefix))
        {
            foreach (var method in path.Methods.Count == 0 ? [null] : path.Methods.Cast<string?>())
            {
                foreach (var route in Best(path, method))
                {
                    foreach (var served in method is null ? route.Methods : [method])
                    {
                        covered.Add((route, route.AnyMethod ? null : served));
                    }
                }
            }
        }

        // A hub's negotiate route is part of the hub, which the reference names.
        var missing = _routes.Where(r => !(r.Hub && r.Segments[^1] == "negotiate"))
            .SelectMany(r => r.Methods.Select(m => (Route: r, Method: r.AnyMethod ? null : m)))
            .Distinct()
            .Where(rm => !covered.Contains(rm))
            .Select(rm => $"{rm.Method ?? "(any method)"} {rm.Route.Text}")
            .ToList();
        Assert.True(missing.Count == 0, $"Routes not in {Reference}:\n" + string.Join("\n", missing));
    }

    /// <summary>A guide's path is the server's to answer when it starts with a segment a route starts with (after the tenant).</summary>
    private static bool Served(DocumentedPath path, HashSet<string> known)
    {
        var segments = path.Segments;
        if (segments.Count == 0)
        {
            return path.Methods.Count > 0;
        }

        return known.Contains(segments[0]) || (segments.Count > 1 && Tenants.Contains(segments[0], StringComparer.OrdinalIgnoreCase) && known.Contains(segments[1]));
    }

    /// <summary>
    /// The routes that serve the path best (most literal segments equal), as it is written and under a tenant; for a
    /// continued path, those of its first candidate that any route serves.
    /// </summary>
    private List<Route> Best(DocumentedPath path, string? method)
    {
        foreach (var segments in path.Candidates)
        {
            var scored = _routes.Where(r => method is null || r.AnyMethod || r.Methods.Contains(method))
                .Select(r => (Route: r, Score: Math.Max(r.Score(segments, path.Prefix), r.Score(["{}", .. segments], path.Prefix))))
                .Where(s => s.Score >= 0)
                .ToList();
            if (scored.Count > 0)
            {
                return [.. scored.Where(s => s.Score == scored.Max(m => m.Score)).Select(s => s.Route)];
            }
        }

        return [];
    }

    private static List<DocumentedPath> Read(string file) => EndpointDocs.Read(file, File.ReadAllText(Path.Combine(RepoRoot(), file)));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    /// <summary>A route's segments as the docs write them ("{}" for each placeholder), and what matches each.</summary>
    private sealed class Route(SweptEndpoint endpoint)
    {
        public string Text => endpoint.Route;

        public bool Hub => endpoint.Hub;

        public bool AnyMethod => endpoint.AnyMethod;

        public IReadOnlyList<string> Methods => endpoint.Methods;

        public IReadOnlyList<string> Segments { get; } = [.. endpoint.Pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(Shown)))];

        /// <summary>
        /// 2 per literal segment equal, 1 per placeholder that takes the doc's segment; -1 when the path (or, for a
        /// prefix, the route's start) does not fit.
        /// </summary>
        public int Score(IReadOnlyList<string> doc, bool prefix)
        {
            if (prefix ? doc.Count > Segments.Count : doc.Count != Segments.Count)
            {
                return -1;
            }

            var score = 0;
            for (var i = 0; i < doc.Count; i++)
            {
                var mine = Segments[i];
                if (doc[i].Contains('{', StringComparison.Ordinal) || !mine.Contains('{', StringComparison.Ordinal))
                {
                    if (!string.Equals(doc[i], mine, StringComparison.OrdinalIgnoreCase))
                    {
                        return -1;
                    }

                    score += mine.Contains('{', StringComparison.Ordinal) ? 1 : 2;
                }
                else if (Regex.IsMatch(doc[i], "^" + string.Join("[^/]+", mine.Split("{}").Select(Regex.Escape)) + "$", RegexOptions.IgnoreCase))
                {
                    score += 1;
                }
                else
                {
                    return -1;
                }
            }

            return score;
        }

        private static string Shown(RoutePatternPart part) => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "{}",
        };

        public override string ToString() => Text;
    }
}
