using IdContact.Desk.Sessions;
using IdContact.Hosting;
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
    }

    private static Task<IResult> StartAsync(HttpContext http, SessionStore store, DeskKeys keys, PublicUrls urls) =>
        DeskRequest.StartAsync(http, keys, store, urls, async (tenant, purpose, ct) =>
        {
            var desk = http.Tenant().Desk();
            var session = await store.CreateAsync(tenant, Channels.Phone, purpose, desk.DtmfLength, TimeSpan.FromMinutes(desk.DtmfLifetimeMinutes), ct);
            return (session, $"tel:{desk.PhoneNumber},,{session.Code}");
        });

    private static Task<IResult> ReceiveAsync(HttpContext http, string id, SessionStore store) =>
        DeskRequest.ReceiveResultAsync(http, Channels.Phone, id, store);
}
