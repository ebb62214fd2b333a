using IdContact.Auth.Test.Session;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Auth.Test.Start;

/// <summary><c>POST /{tenant}/auth-test/start_authentication</c> (A1): answers the link of the tester's page.</summary>
public static class StartAuthenticationEndpoint
{
    public static void MapStartAuthentication(this RouteGroupBuilder group) =>
        group.MapPost("/start_authentication", StartAsync)
            .WithName("AuthTestStart")
            .WithSummary("Starts a test authentication for attribute tags; answers the URL of the page where the tester types the values.");

    private static async Task<IResult> StartAsync(HttpContext http, SessionLinks links)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType("start_authentication takes application/json.");
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

        var request = AuthenticationRequest.Parse(body, out var error);
        if (request is null)
        {
            return Problems.BadRequest("Invalid request", error);
        }

        var pageUrl = links.PageUrl(http.TenantTag(), request);
        if (pageUrl is null)
        {
            return Problems.BadRequest("Invalid request", "The request is too large to carry in the page link; use shorter URLs or fewer attributes.");
        }

        return Results.Json(new ClientUrlResponse(pageUrl));
    }
}
