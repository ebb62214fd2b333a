using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Auth.Irma.Irma;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Fake;

/// <summary>The requestor endpoints of the fake IRMA server, with the JSON shapes and error bodies of a real one.</summary>
public static partial class FakeRequestorApi
{
    public const int MaxDisjunctions = 50;
    public const int MaxAlternatives = 10;

    public static void MapFakeRequestorApi(this RouteGroupBuilder fake)
    {
        fake.MapPost("/session", StartAsync);
        fake.MapGet("/session/{token}/status", (string token, FakeSessions sessions) =>
            sessions.ByRequestorToken(token) is { } s ? Results.Json(s.Status(sessions.Time.GetUtcNow())) : UnknownSession());
        fake.MapGet("/session/{token}/result", (string token, FakeSessions sessions) =>
            sessions.ByRequestorToken(token) is { } s ? Results.Json(s.Result(sessions.Time.GetUtcNow())) : UnknownSession());
        fake.MapDelete("/session/{token}", (string token, FakeSessions sessions) =>
        {
            if (sessions.ByRequestorToken(token) is not { } s)
            {
                return UnknownSession();
            }

            s.Cancel(sessions.Time.GetUtcNow());
            return Results.NoContent();
        });
    }

    public static IResult Error(int status, string error, string description) =>
        Results.Json(new IrmaError(status, error, description), statusCode: status);

    private static IResult UnknownSession() => Error(StatusCodes.Status400BadRequest, "SESSION_UNKNOWN", "Unknown or expired session");

    private static async Task<IResult> StartAsync(HttpContext http, FakeSessions sessions, PublicUrls urls, IOptions<IdContactOptions> options)
    {
        if (!Authorized(http.Request.Headers.Authorization.ToString(), options.Value.AuthIrma().RequestorToken))
        {
            return Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Unauthorized: requestor token missing or not known");
        }

        var (body, tooLarge) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        var disclose = body is null || tooLarge ? null : ParseDisclosure(body);
        if (disclose is null)
        {
            return Error(StatusCodes.Status400BadRequest, "MALFORMED_SESSION_REQUEST", "Malformed session request: expected a disclosure request (v2)");
        }

        var session = sessions.Create(disclose);
        var pointer = new SessionPointer(urls.Base + "/irma-fake/irma/session/" + session.ClientToken, "disclosing");
        return Results.Json(new StartSessionResponse(pointer, session.RequestorToken,
            new FrontendRequest(session.ClientToken + "-frontend", "1.0", "1.1")));
    }

    private static bool Authorized(string given, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>The <c>disclose</c> list of a v2 disclosure request; null when the body is anything else.</summary>
    private static List<IReadOnlyList<IReadOnlyList<string>>>? ParseDisclosure(string body)
    {
        using var document = JsonBody.ParseObject(body, out _);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        if (!root.TryGetProperty("@context", out var context) || context.ValueKind != JsonValueKind.String
            || context.GetString() != DisclosureRequest.Context
            || !root.TryGetProperty("disclose", out var disclose) || disclose.ValueKind != JsonValueKind.Array
            || disclose.GetArrayLength() is 0 or > MaxDisjunctions)
        {
            return null;
        }

        var result = new List<IReadOnlyList<IReadOnlyList<string>>>();
        foreach (var discon in disclose.EnumerateArray())
        {
            if (discon.ValueKind != JsonValueKind.Array || discon.GetArrayLength() is 0 or > MaxAlternatives)
            {
                return null;
            }

            var alternatives = new List<IReadOnlyList<string>>();
            foreach (var con in discon.EnumerateArray())
            {
                if (con.ValueKind != JsonValueKind.Array || con.GetArrayLength() is 0 or > MaxAlternatives
                    || con.EnumerateArray().Any(id => id.ValueKind != JsonValueKind.String || !AttributeId().IsMatch(id.GetString()!)))
                {
                    return null;
                }

                alternatives.Add([.. con.EnumerateArray().Select(id => id.GetString()!)]);
            }

            result.Add(alternatives);
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){3}$")]
    private static partial Regex AttributeId();
}
