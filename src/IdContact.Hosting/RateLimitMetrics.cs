using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>
/// The meter "IdContact.Hosting": requests the per-address limits (<see cref="RateLimits"/>) refused, by policy and
/// tenant. ASP.NET Core's own <c>aspnetcore.rate_limiting.requests</c> counts them by policy too, but without the
/// municipality; this adds it. Never the address, the path or anything else from the request: the tenant is a
/// configured one or "none".
/// </summary>
public sealed class RateLimitMetrics
{
    public const string MeterName = "IdContact.Hosting";

    private readonly Counter<long> _refusals;
    private readonly IOptions<IdContactOptions> _options;

    public RateLimitMetrics(IMeterFactory meters, IOptions<IdContactOptions> options)
    {
        _options = options;
        _refusals = meters.Create(MeterName).CreateCounter<long>(
            "idcontact.http.limit_refusals", "{request}", "Requests refused (429) by a per-address rate limit (RateLimits:*), by limit and tenant");
    }

    /// <summary>Counts the request the limiter refused: its endpoint's policy, and its tenant when that is configured.</summary>
    public void Refused(HttpContext http)
    {
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "none";
        var tag = http.TenantTag();
        var tenant = tag.Length > 0 && _options.Value.Tenants.ContainsKey(tag) ? tag : "none";
        _refusals.Add(1, new KeyValuePair<string, object?>("limit", policy), new KeyValuePair<string, object?>("tenant", tenant));
    }
}
