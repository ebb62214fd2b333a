using IdContact.Auth.Test.Session;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
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
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.AuthTest().ApiKey)
            .WithName("AuthTestStart")
            .WithSummary("Starts a test authentication for attribute tags; answers the URL of the page where the tester types the values.");

    private static async Task<IResult> StartAsync(HttpContext http, SessionLinks links)
    {
        var (request, problem) = await AuthenticationRequest.ReadAsync(http);
        if (request is null)
        {
            return problem!;
        }

        var pageUrl = links.PageUrl(http.TenantTag(), request);
        if (pageUrl is null)
        {
            return Problems.BadRequest("Invalid request", "The request is too large to carry in the page link; use shorter URLs or fewer attributes.");
        }

        return Results.Json(new ClientUrlResponse(pageUrl));
    }
}
