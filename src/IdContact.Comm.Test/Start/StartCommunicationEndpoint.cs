using IdContact.Comm.Test.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Comm.Test.Start;

/// <summary><c>POST /{tenant}/comm-test/start_communication</c> (M1): a new test session, optionally with its result (M2).</summary>
public static class StartCommunicationEndpoint
{
    public static void MapStartCommunication(this RouteGroupBuilder group) =>
        group.MapPost("/start_communication", StartAsync)
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.CommTest().ApiKey)
            .WithName("CommTestStart")
            .WithSummary("Starts a test conversation for a purpose, optionally with an auth result; answers client_url and attr_url.");

    private static async Task<IResult> StartAsync(HttpContext http, CommSessionStore store, ResultReader reader, PublicUrls urls)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType("start_communication takes application/json.");
        }

        var (body, tooLarge) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        if (tooLarge)
        {
            return Problems.PayloadTooLarge();
        }

        if (body is null)
        {
            return Problems.BadRequest("Invalid request", "The body is not UTF-8 text.");
        }

        var request = CommunicationRequest.Parse(body, out var error);
        if (request is null)
        {
            return Problems.BadRequest("Invalid request", error);
        }

        var opened = request.AuthResult is null ? null : reader.Open(request.AuthResult);
        if (opened is { IsValid: false })
        {
            return Problems.BadRequest("Auth result refused", opened.Refusal);
        }

        var tenant = http.TenantTag();
        var session = store.Create(tenant, request.Purpose);
        if (session is null)
        {
            return Problems.Make(StatusCodes.Status503ServiceUnavailable, "Too many sessions", "The test comm plugin holds as many sessions as it may; try again later.");
        }

        if (opened is { IsValid: true })
        {
            session.TryAttach(request.AuthResult!, opened.Result.Status);
        }

        return Results.Json(new StartCommunicationResponse(
            urls.Tenant(tenant, "/comm-test/session/" + session.Id),
            urls.Tenant(tenant, "/comm-test/attr/" + session.Id)));
    }
}
