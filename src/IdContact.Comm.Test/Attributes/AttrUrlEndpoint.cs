using IdContact.Comm.Test.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace IdContact.Comm.Test.Attributes;

/// <summary><c>POST /{tenant}/comm-test/attr/{id}</c> (M2): an auth plugin delivers the result token server-side.</summary>
public static class AttrUrlEndpoint
{
    public static void MapAttrUrl(this RouteGroupBuilder group) =>
        group.MapPost("/attr/{id}", ReceiveAsync)
            .RequireRateLimiting(RateLimits.Result)
            .WithName("CommTestAttr")
            .WithSummary("Receives an auth-result token (application/jwt); a session takes one result only.");

    private static async Task<IResult> ReceiveAsync(string id, HttpContext http, CommSessionStore store, ResultReader reader, ILoggerFactory loggers)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !type.MediaType.Equals(MediaTypes.Jwt, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType($"The attribute URL takes the token as {MediaTypes.Jwt}.");
        }

        var tenant = http.TenantTag();
        var session = store.Find(tenant, id);
        if (session is null)
        {
            return Problems.NotFound("Unknown session", "There is no live test session with this id.");
        }

        var (token, tooLarge) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        if (tooLarge)
        {
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "Token too large", $"The body is larger than {RequestText.MaxBytes} bytes.");
        }

        if (session.Result is not null)
        {
            return AlreadyHasResult();
        }

        var opened = reader.Open(token);
        if (!opened.IsValid)
        {
            return Problems.BadRequest("Auth result refused", opened.Refusal);
        }

        if (!session.TryAttach(token!.Trim(), opened.Result.Status))
        {
            return AlreadyHasResult();
        }

        // Tenant and status only: never the session id (it opens the page) nor any attribute value.
        loggers.CreateLogger(typeof(AttrUrlEndpoint)).LogInformation("A test session of {Tenant} received a {Status} result", tenant, opened.Result.Status);
        return Results.Ok();
    }

    private static IResult AlreadyHasResult() =>
        Problems.Conflict("Result already received", "This session already has a result; a session takes one result only.");
}
