using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Hosting;

/// <summary>
/// Per-client-address limits on the public endpoints (ASP.NET Core rate limiting). The address is the connection's,
/// or the one a configured proxy forwarded; a limited caller gets a 429 problem with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string Start = "start";
    public const string PluginStart = "plugin-start";
    public const string Result = "result";
    public const string Exchange = "exchange";
    public const string Login = "login";

    /// <summary>The identity provider's callback: the login limit, counted apart so a sign-in's two requests cost one each.</summary>
    public const string LoginCallback = "login-callback";
    public const string Booking = "booking";

    /// <summary>The web-code pages a caller opens (<c>GET /{tenant}/id</c>): each view mints a browser id, so views cost.</summary>
    public const string WebCodePage = "web-code-page";

    /// <summary>The phone page's status polls: their own budget, so open phone pages do not use up the starts.</summary>
    public const string PhoneStatus = "phone-status";

    /// <summary>Residents opening their conversation: a chat's page, and the doors of the residents' hubs.</summary>
    public const string ResidentConnection = "resident-connection";

    /// <param name="coreKeys">The keys this installation's core sends to its plugins (<see cref="IRole.CoreKey"/>).</param>
    public static IServiceCollection AddIdContactRateLimits(this IServiceCollection services, IdContactOptions options, IReadOnlyList<string> coreKeys)
    {
        var limits = options.RateLimits;
        services.AddSingleton<RateLimitMetrics>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Start, http => PerAddress(http, Start, limits.StartPerMinute));
            // A call carrying one of this installation's plugin keys comes from our own core, which limits residents itself.
            limiter.AddPolicy(PluginStart, http => coreKeys.Any(key => BearerKey.Matches(http.Request, key))
                ? RateLimitPartition.GetNoLimiter("core")
                : PerAddress(http, PluginStart, limits.PluginStartPerMinute));
            limiter.AddPolicy(Result, http => PerAddress(http, Result, limits.ResultPerMinute));
            limiter.AddPolicy(Exchange, http => PerAddress(http, Exchange, limits.ExchangePerMinute));
            limiter.AddPolicy(Login, http => PerAddress(http, Login, limits.LoginPerMinute));
            limiter.AddPolicy(LoginCallback, http => PerAddress(http, LoginCallback, limits.LoginPerMinute));
            limiter.AddPolicy(Booking, http => PerAddress(http, Booking, limits.BookingPerMinute));
            limiter.AddPolicy(WebCodePage, http => PerAddress(http, WebCodePage, limits.WebCodePagePerMinute));
            limiter.AddPolicy(PhoneStatus, http => PerAddress(http, PhoneStatus, limits.PhoneStatusPerMinute));
            limiter.AddPolicy(ResidentConnection, http => PerAddress(http, ResidentConnection, limits.ResidentConnectionPerMinute));
            limiter.OnRejected = RejectAsync;
        });

        if (options.TrustedProxies.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // Only the configured proxies are believed; the framework's default of trusting loopback is dropped.
                forwarded.KnownIPNetworks.Clear();
                forwarded.KnownProxies.Clear();
                foreach (var proxy in options.TrustedProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            });
        }

        return services;
    }

    /// <summary>
    /// Forwarded headers come first of all (so limits, HSTS and cookies see the real client and scheme): before the roles'
    /// header middleware, which runs before the limiter (<see cref="IRole.UseResponseHeaders"/>).
    /// </summary>
    public static IApplicationBuilder UseIdContactForwardedHeaders(this IApplicationBuilder app, IdContactOptions options) =>
        options.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;

    public static IApplicationBuilder UseIdContactRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>
    /// Endpoint metadata: a request this predicate accepts costs nothing under the endpoint's limit (it mints and spends
    /// nothing, such as the web-code page asked again in the other language by a browser it already knows).
    /// </summary>
    public sealed record Uncounted(Func<HttpContext, bool> Applies);

    /// <summary>
    /// Endpoint metadata of a hub: the requests of a connection already opened (its long polls, its sends, the WebSocket
    /// after negotiation: each names the connection by <c>id</c>; an unknown one is a 404) are not counted; opening one,
    /// by negotiation or by a WebSocket without it, is.
    /// </summary>
    public static readonly Uncounted OpenConnectionsRequests = new(http =>
        http.Request.Query.ContainsKey("id") && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Connections.NegotiateMetadata>() is null);

    private static RateLimitPartition<string> PerAddress(HttpContext http, string policy, int perMinute) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Uncounted>() is { } uncounted && uncounted.Applies(http)
        ? RateLimitPartition.GetNoLimiter("uncounted")
        : RateLimitPartition.GetFixedWindowLimiter(
            $"{policy}:{ClientAddress.Key(http.Connection.RemoteIpAddress)}",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        http.RequestServices.GetRequiredService<RateLimitMetrics>().Refused(http);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var problem = Problems.Make(
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"Too many requests from this address; try again in {retryAfter} seconds.");
        await problem.ExecuteAsync(http);
    }
}
