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
    }

    private static async Task<IResult> StartAsync(HttpContext http, SessionStore store, DeskKeys keys, PublicUrls urls)
    {
        var body = await DeskRequest.ReadJsonAsync<StartCommunicationRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var tenant = http.Tenant();
        var tenantTag = http.TenantTag();
        if (string.IsNullOrWhiteSpace(request.Purpose) || tenant.Purposes.All(p => p.Tag != request.Purpose))
        {
            return Problems.BadRequest("Unknown purpose", $"There is no purpose '{request.Purpose}'.");
        }

        // A bad result at start is refused before anything is written.
        var opened = request.AuthResult is null ? null : keys.Open(tenantTag, request.AuthResult);
        if (opened is { IsValid: false })
        {
            return Problems.BadRequest("Invalid auth result", opened.Refusal);
        }

        var desk = tenant.Desk();
        var session = await store.CreateAsync(tenantTag, "phone", request.Purpose, desk.DtmfLength, TimeSpan.FromMinutes(desk.DtmfLifetimeMinutes), http.RequestAborted);
        if (request.AuthResult is not null)
        {
            var (outcome, reason) = await store.AcceptResultAsync(tenantTag, session.Id, request.AuthResult, http.RequestAborted, opened);
            if (outcome != ResultOutcome.Accepted)
            {
                await store.DeleteAsync(tenantTag, session.Id, http.RequestAborted);
                return DeskRequest.ResultProblem(outcome, reason);
            }
        }

        return Results.Ok(new StartCommunicationResponse(
            $"tel:{desk.PhoneNumber},,{session.Code}",
            urls.Tenant(tenantTag, "/phone/attr/" + session.Id)));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, string id, SessionStore store)
    {
        var body = await DeskRequest.ReadTokenAsync(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (outcome, reason) = await store.AcceptResultAsync(http.TenantTag(), id, body.Value, http.RequestAborted);
        return outcome == ResultOutcome.Accepted ? Results.Ok() : DeskRequest.ResultProblem(outcome, reason);
    }
}
