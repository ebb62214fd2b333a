using IdContact.Auth.Irma.Irma;
using IdContact.Auth.Irma.Session;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Start;

/// <summary><c>POST /{tenant}/auth-irma/start_authentication</c> (A1, A2): starts a disclosure session at the IRMA server.</summary>
public static class StartAuthenticationEndpoint
{
    public static void MapStartAuthentication(this RouteGroupBuilder group) =>
        group.MapPost("/start_authentication", StartAsync)
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.AuthIrma().ApiKey)
            .WithName("AuthIrmaStart")
            .WithSummary("Starts an IRMA/Yivi disclosure of the attribute tags; answers the URL of the page with the QR code.");

    private static async Task<IResult> StartAsync(
        HttpContext http, IrmaClient irma, IrmaSessionLinks links, IOptions<IdContactOptions> options)
    {
        var (request, problem) = await AuthenticationRequest.ReadAsync(http);
        if (request is null)
        {
            return problem!;
        }

        // Checked before the IRMA server is called: an unmappable request must leave nothing behind there.
        var disclosure = DisclosureRequest.For(request.Attributes, options.Value.AuthIrma().Attributes, out var unmapped);
        if (disclosure is null)
        {
            return Problems.BadRequest("Unknown attribute", $"Attribute '{unmapped}' cannot be requested with IRMA here: it is not mapped to an IRMA attribute.");
        }

        SessionPointer pointer;
        string token;
        try
        {
            (pointer, token) = await irma.StartAsync(disclosure, http.RequestAborted);
        }
        catch (IrmaServerException e)
        {
            return e.ToProblem();
        }

        var state = new IrmaSessionState(http.TenantTag(), request.Attributes, request.Continuation, request.AttrUrl, token, pointer);
        var s = links.Protect(state);
        if (s is null)
        {
            // Nobody will ever scan this session: tell the IRMA server so it does not linger.
            await irma.TryCancelAsync(token, http.RequestAborted);
            return Problems.BadRequest("Invalid request", "The request is too large to carry in the page link; use shorter URLs or fewer attributes.");
        }

        return Results.Json(new ClientUrlResponse(links.PageUrl(http.TenantTag(), s)));
    }
}
