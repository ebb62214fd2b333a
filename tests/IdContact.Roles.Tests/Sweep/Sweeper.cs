using System.Collections.Concurrent;
using Microsoft.AspNetCore.Routing.Patterns;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>Sends the bad requests of <see cref="HostileInput"/> to every endpoint and writes down what answered wrongly.</summary>
/// <param name="realValue">A live value for a route parameter (a real session id, capability, link token), or null.</param>
public sealed class Sweeper(HostileInput input, Func<string, string, string?> realValue)
{
    public const string TenantA = "arnhem";
    public const string TenantB = "utrecht";

    private static readonly string[] Ends = ["end", "logout", "cancel", "delete"];

    /// <summary>
    /// Routes whose 4xx bodies follow someone else's format: the fake IRMA server answers as irmago's requestor API does
    /// ({status, error, description}), which the IRMA role reads.
    /// </summary>
    private static readonly string[] ForeignErrorFormat = ["/irma-fake/"];

    public ConcurrentQueue<string> Findings { get; } = new();

    /// <summary>How often each route answered each status: the sweep's own record, printed with the test's output.</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new();

    public int Sent => _requests;

    private int _requests;

    public async Task SweepAsync(SweepCaller caller, IEnumerable<SweptEndpoint> endpoints, CancellationToken ct)
    {
        // Routes that end something (a chat, the sign-in) go last, so the others still find the live chat and the account.
        foreach (var endpoint in endpoints.OrderBy(e => Ends.Contains(e.Route.Split('/')[^1])))
        {
            foreach (var method in endpoint.Methods)
            {
                foreach (var (probe, path, body) in Plan(caller, endpoint, method))
                {
                    await SendAsync(caller, endpoint, method, probe, path, body, ct);
                }
            }
        }
    }

    private IEnumerable<(string Probe, string Path, Func<HttpContent?> Body)> Plan(SweepCaller caller, SweptEndpoint endpoint, string method)
    {
        var carriesBody = method is "POST" or "PUT" or "PATCH";
        Func<HttpContent?> none = () => null;

        // Hostile route values: each one in every parameter but the tenant, and each one as the tenant.
        if (endpoint.HasParameters)
        {
            foreach (var (name, value) in HostileInput.RouteValues)
            {
                if (endpoint.Pattern.Parameters.Any(p => p.Name != "tenant"))
                {
                    yield return ($"route-{name}", endpoint.Path(p => p.Name == "tenant" ? TenantA : value), none);
                }

                if (endpoint.HasTenant)
                {
                    yield return ($"tenant-{name}", endpoint.Path(p => p.Name == "tenant" ? value : Live(endpoint, p)), none);
                }
            }

            // Tenant A's account (or key) at the same route of tenant B.
            if (endpoint.HasTenant)
            {
                yield return ("tenant-b", endpoint.Path(p => p.Name == "tenant" ? TenantB : Live(endpoint, p)), none);
            }
        }

        var live = endpoint.Path(p => p.Name == "tenant" ? TenantA : Live(endpoint, p));
        foreach (var (name, query) in HostileInput.Queries(endpoint.QueryNames))
        {
            yield return (name, $"{live}?{query}", none);
        }

        if (!carriesBody)
        {
            yield break;
        }

        foreach (var (name, body) in input.Bodies())
        {
            yield return (name, live, body);
        }

        if (caller.Antiforgery is { } token)
        {
            yield return ("form-hostile-with-antiforgery", live, () => HostileInput.FormWithToken(token.Field, token.Token));
            yield return ("form-nul-with-antiforgery", live, () => HostileInput.FormWithToken(token.Field, token.Token, HostileInput.Nul));
            yield return ("form-long-with-antiforgery", live, () => HostileInput.FormWithToken(token.Field, token.Token, HostileInput.Long));
        }
    }

    private string Live(SweptEndpoint endpoint, RoutePatternParameterPart parameter) =>
        realValue(endpoint.Route, parameter.Name) ?? "doesnotexist0123456789abcdef";

    private async Task SendAsync(SweepCaller caller, SweptEndpoint endpoint, string method, string probe, string path, Func<HttpContent?> body, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        var where = $"{caller.Name} {method} {endpoint.Route} [{probe}]";
        HttpResponseMessage response;
        var content = body();
        var sentType = content?.Headers.ContentType?.MediaType ?? "";
        try
        {
            response = await caller.SendAsync(method, path, content, oversized: probe.StartsWith("oversized", StringComparison.Ordinal), ct);
        }
        catch (HttpRequestException e) when (probe.StartsWith("oversized", StringComparison.Ordinal) && e.InnerException is IOException)
        {
            // With Expect: 100-continue the client sends the body only after a 100 or a final 2xx: a route that answers
            // 2xx without reading the body (negotiate, health) gets it anyway, and Kestrel closes the connection under it.
            // A 4xx or 5xx would have come back before any upload, so this is an answer below 300.
            Statuses.AddOrUpdate($"{method} {endpoint.Route} 2xx without reading the oversized body", 1, (_, n) => n + 1);
            return;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Findings.Enqueue($"{where} → no answer: {e.GetType().Name} {e.Message}");
            return;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            Statuses.AddOrUpdate($"{method} {endpoint.Route} {status}", 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync(ct);
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            if (status >= 500)
            {
                Findings.Enqueue($"{where} → {status} {type} {Short(text)}");
            }

            // JSON is data, not markup: ASP.NET Core writes it with relaxed escaping on purpose, so a problem may quote a value.
            if (!IsJson(type))
            {
                foreach (var marker in HostileInput.Markers.Where(m => text.Contains(m, StringComparison.Ordinal)))
                {
                    Findings.Enqueue($"{where} → {status} {type} shows '{marker}' unescaped");
                }
            }

            var location = response.Headers.Location?.OriginalString ?? "";
            if (location.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || location.StartsWith("//", StringComparison.Ordinal)
                || HostileInput.Markers.Any(m => location.Contains(m, StringComparison.Ordinal)))
            {
                Findings.Enqueue($"{where} → {status} redirects to '{Short(location)}'");
            }

            if (status is >= 400 and < 500 && text.Length > 0 && !endpoint.Hub && !ForeignErrorFormat.Any(p => endpoint.Route.StartsWith(p, StringComparison.Ordinal)))
            {
                // A browser's page may explain itself in HTML; a program that sent JSON or a token gets a problem document.
                var programmatic = endpoint.Api && (IsJson(sentType) || sentType == "application/jwt");
                var expected = type == "application/problem+json" || (type == "text/html" && !programmatic);
                if (!expected)
                {
                    Findings.Enqueue($"{where} → {status} as '{type}' (must be a problem{(programmatic ? "" : " or a page")}): {Short(text)}");
                }
            }
        }
    }

    private static bool IsJson(string mediaType) =>
        mediaType is "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
