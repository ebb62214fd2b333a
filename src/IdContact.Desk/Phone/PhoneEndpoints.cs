using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Desk.Phone;

/// <summary>The phone comm plugin (P1, P2, M1, M2) under <c>/{tenant}/phone</c>.</summary>
public static class PhoneEndpoints
{
    public static void MapPhone(this IEndpointRouteBuilder app)
    {
        var phone = app.MapTenantGroup("/phone").WithTags("Phone");
        phone.MapPost("/start_communication", StartAsync)
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.Desk().ApiKey).WithName("PhoneStart").WithSummary("Creates a phone session: tel: URL with DTMF code, and attr_url.");
        phone.MapPost("/attr/{id}", ReceiveAsync).RequireRateLimiting(RateLimits.Result).WithName("PhoneAttributes").WithSummary("Receives the auth-result token (application/jwt).");
        phone.MapGet("/attr/{id}/status", StatusAsync).RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.Desk().ApiKey).WithName("PhoneStatus")
            .WithSummary("The session's state for the resident's phone page (waiting, identified, expired); never an attribute.");
    }

    private static Task<IResult> StartAsync(HttpContext http, SessionStore store, DeskKeys keys, PublicUrls urls) =>
        DeskRequest.StartAsync(http, keys, store, urls, async (tenant, purpose, ct) =>
        {
            var desk = http.Tenant().Desk();
            var session = await store.CreateAsync(tenant, Channels.Phone, purpose, desk.DtmfLength, TimeSpan.FromMinutes(desk.DtmfLifetimeMinutes), ct);
            return (session, $"tel:{desk.PhoneNumber},,{session.Code}");
        });

    /// <summary>
    /// The state the core's phone page shows the resident. The id in the attr_url is the secret (128 bits); only this
    /// tenant's phone sessions answer, any other id is 404, and the answer carries the state alone.
    /// </summary>
    private static async Task<IResult> StatusAsync(HttpContext http, string id, SessionStore store, OpenedResults results, TimeProvider time)
    {
        var session = id.Length > 100 ? null : await store.FindAsync(http.TenantTag(), id, http.RequestAborted);
        if (session is null || session.Channel != Channels.Phone)
        {
            return Problems.NotFound("Unknown session", "There is no such phone session (any more).");
        }

        http.Response.Headers.CacheControl = "no-store";
        // A failed or cancelled sign-in passes nothing on: the page must not say the details reached the agent.
        var state = session.ResultToken is not null && results.Open(http.TenantTag(), session).Status != AuthStatus.Success ? "failed"
            : session.State != ContactState.Waiting ? "identified"
            : session.CodeExpiresAt is { } expires && expires <= time.GetUtcNow() ? "expired"
            : "waiting";
        return Results.Ok(new PhoneStatus(state));
    }

    private static Task<IResult> ReceiveAsync(HttpContext http, string id, SessionStore store) =>
        DeskRequest.ReceiveResultAsync(http, Channels.Phone, id, store);
}
