using System.Text.Json;
using IdContact.Auth.Irma.Pages;
using IdContact.Auth.Irma.Session;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Auth.Irma.Fake;

/// <summary>
/// The fake's "phone": at the session pointer's URL a demo user picks the outcome on a page, a test posts it as JSON.
/// A real Yivi app would talk its own protocol at this URL; the fake only needs the outcome.
/// </summary>
public static class FakePhone
{
    public static void MapFakePhone(this RouteGroupBuilder fake)
    {
        fake.MapGet("/irma/session/{clientToken}", Show);
        fake.MapPost("/irma/session/{clientToken}", ChooseAsync);
        fake.MapPost("/irma/session/{clientToken}/script", ScriptAsync);
    }

    private static IResult Show(HttpContext http, FakeSessions sessions, string clientToken, string? back)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        if (sessions.ByClientToken(clientToken) is not { } session)
        {
            return Results.NotFound();
        }

        session.Connect(sessions.Time.GetUtcNow());
        return new RazorComponentResult<FakePhonePage>(new
        {
            English = english,
            Fields = (IReadOnlyList<string>)[.. session.Disclose.SelectMany(discon => discon[0]).Distinct(StringComparer.Ordinal)],
            Back = LocalPath(back),
            AssetBase = http.Request.PathBase + "/irma-fake/assets/",
        });
    }

    private static async Task<IResult> ChooseAsync(HttpContext http, FakeSessions sessions, string clientToken)
    {
        PageHeaders.Private(http);
        if (sessions.ByClientToken(clientToken) is not { } session)
        {
            return Results.NotFound();
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.UnsupportedMediaType("The page posts application/x-www-form-urlencoded.");
        }

        var form = await FormBody.ReadAsync(http.Request, http.RequestAborted);
        if (form is null)
        {
            return Problems.BadRequest("Invalid form", "The form is malformed or too large.");
        }

        var outcome = FakeValues.ParseOutcome(FormBody.First(form["outcome"]));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith("attr:", StringComparison.Ordinal)))
        {
            values[key["attr:".Length..]] = FormBody.First(value) ?? "";
        }

        if (outcome is null || values.Values.Any(v => v.Length > FakeValues.MaxValueLength))
        {
            return Problems.BadRequest("Invalid form", "Choose one of the buttons and keep values short.");
        }

        session.Finish(outcome.Value, values, null, sessions.Time.GetUtcNow());
        // Back to the resident's page, which then moves on by itself: the demo runs in one browser tab.
        return LocalPath(FormBody.First(form["back"])) is { } back ? new SeeOther(back) : Results.Text("OK", "text/plain");
    }

    /// <summary><c>{"outcome":"done|cancelled|timeout|invalid|missing","attributes":{id:value},"proofStatus"?:...}</c>.</summary>
    private static async Task<IResult> ScriptAsync(HttpContext http, FakeSessions sessions, string clientToken)
    {
        if (sessions.ByClientToken(clientToken) is not { } session)
        {
            return FakeRequestorApi.Error(StatusCodes.Status400BadRequest, "SESSION_UNKNOWN", "Unknown or expired session");
        }

        var (body, _) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        using var document = body is null ? null : JsonBody.ParseObject(body, out _);
        var root = document?.RootElement;
        var outcome = root is { } r && r.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String
            ? FakeValues.ParseOutcome(o.GetString())
            : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root?.TryGetProperty("attributes", out var attributes) == true && attributes.ValueKind == JsonValueKind.Object)
        {
            foreach (var a in attributes.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.String))
            {
                values[a.Name] = a.Value.GetString()!;
            }
        }

        string? proofStatus = root?.TryGetProperty("proofStatus", out var p) == true && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (outcome is null)
        {
            return FakeRequestorApi.Error(StatusCodes.Status400BadRequest, "MALFORMED_INPUT", "Give an outcome: done, cancelled, timeout, invalid or missing");
        }

        var now = sessions.Time.GetUtcNow();
        session.Connect(now);
        return session.Finish(outcome.Value, values, proofStatus, now)
            ? Results.Json(session.Status(now))
            : FakeRequestorApi.Error(StatusCodes.Status409Conflict, "UNEXPECTED_REQUEST", "The session has already ended");
    }

    /// <summary>Only a path on this server: the fake must not become an open redirect.</summary>
    private static string? LocalPath(string? value) =>
        value is { Length: > 1 } && value[0] == '/' && value[1] != '/' && value[1] != '\\' && !value.Any(char.IsControl) ? value : null;
}
