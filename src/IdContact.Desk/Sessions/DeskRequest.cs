using System.Text.Json;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Sessions;

/// <summary>Reads small request bodies defensively: wrong type, oversize or malformed input is a 4xx problem.</summary>
public static class DeskRequest
{
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext http)
        where T : class
    {
        if (!IsMediaType(http.Request, MediaTypes.Json))
        {
            return (null, Problems.UnsupportedMediaType("Send application/json."));
        }

        var (text, problem) = await ReadTextAsync(http);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text!, NulCharacters.RefusingJson);
            return value is null ? (null, Problems.BadRequest("Invalid request", "The body is empty JSON.")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Problems.BadRequest("Invalid request", "The body is not valid JSON of the expected shape."));
        }
    }

    /// <summary>
    /// A channel's start_communication (M1, M2): the request read and checked, the channel's session made by
    /// <paramref name="create"/> (tenant, purpose), any auth_result taken by it (or the session deleted and the refusal
    /// answered), then 200 with the channel's client_url and the session's attr_url <c>/{channel}/attr/{id}</c>.
    /// </summary>
    public static async Task<IResult> StartAsync(
        HttpContext http, DeskKeys keys, SessionStore sessions, PublicUrls urls,
        Func<string, string, CancellationToken, Task<(ContactSession Session, string ClientUrl)>> create)
    {
        var (request, opened, problem) = await ReadStartAsync(http, keys);
        if (request is null)
        {
            return problem!;
        }

        var tenant = http.TenantTag();
        var (session, clientUrl) = await create(tenant, request.Purpose!, http.RequestAborted);
        if (request.AuthResult is not null && await sessions.AcceptAtStartAsync(tenant, session, request.AuthResult, opened, http.RequestAborted) is { } refused)
        {
            return refused;
        }

        return Results.Ok(new StartCommunicationResponse(clientUrl, urls.Tenant(tenant, $"/{session.Channel}/attr/{session.Id}")));
    }

    /// <summary>
    /// Reads a comm plugin's start_communication: a known purpose, and any auth_result opened and valid, all before
    /// anything is written.
    /// </summary>
    private static async Task<(StartCommunicationRequest? Request, TokenOpenResult? Opened, IResult? Problem)> ReadStartAsync(HttpContext http, DeskKeys keys)
    {
        var (request, problem) = await ReadJsonAsync<StartCommunicationRequest>(http);
        if (request is null)
        {
            return (null, null, problem);
        }

        if (string.IsNullOrWhiteSpace(request.Purpose) || http.Tenant().Purposes.All(p => p.Tag != request.Purpose))
        {
            return (null, null, Problems.BadRequest("Unknown purpose", $"There is no purpose '{request.Purpose}'."));
        }

        var opened = request.AuthResult is null ? null : keys.Open(http.TenantTag(), request.AuthResult);
        return opened is { IsValid: false }
            ? (null, null, Problems.BadRequest("Invalid auth result", opened.Refusal))
            : (request, opened, null);
    }

    /// <summary>A result posted to a channel's attr_url: 200 when the session of that channel took it.</summary>
    public static async Task<IResult> ReceiveResultAsync(HttpContext http, string channel, string id, SessionStore store)
    {
        var (token, problem) = await ReadTokenAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        var (outcome, reason) = await store.AcceptResultAsync(http.TenantTag(), channel, id, token, http.RequestAborted);
        return outcome == ResultOutcome.Accepted ? Results.Ok() : ResultProblem(outcome, reason);
    }

    public static async Task<(string? Value, IResult? Problem)> ReadTokenAsync(HttpContext http)
    {
        if (!IsMediaType(http.Request, MediaTypes.Jwt))
        {
            return (null, Problems.UnsupportedMediaType("Send the token as application/jwt."));
        }

        return await ReadTextAsync(http);
    }

    public static IResult ResultProblem(ResultOutcome outcome, string? reason) => outcome switch
    {
        ResultOutcome.UnknownSession => Problems.NotFound("Unknown session", "There is no such session (it may have ended)."),
        ResultOutcome.AlreadyHasResult => Problems.Conflict("Result already received", "This session already has its one result."),
        ResultOutcome.Replayed => Problems.Conflict("Result replayed", "This result was already used for another session."),
        _ => Problems.BadRequest("Invalid auth result", reason ?? "The token was refused."),
    };

    private static async Task<(string? Value, IResult? Problem)> ReadTextAsync(HttpContext http)
    {
        var (text, tooLarge) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        if (tooLarge)
        {
            return (null, Problems.PayloadTooLarge());
        }

        return text is null ? (null, Problems.BadRequest("Invalid request", "The body is not UTF-8 text.")) : (text, null);
    }

    private static bool IsMediaType(HttpRequest request, string mediaType) =>
        string.Equals(request.ContentType?.Split(';')[0].Trim(), mediaType, StringComparison.OrdinalIgnoreCase);
}
