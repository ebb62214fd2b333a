using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.Roles.Tests;

/// <summary>
/// A third-party plugin as the core sees it: a separate HTTP server that answers per the protocol and records
/// every call, so tests can assert what the core sent, and that it sent nothing on bad input.
/// </summary>
public sealed class RecordingPlugin : LoopbackFake
{
    private RecordingPlugin()
    {
    }

    public string BaseUrl => Url;

    public ConcurrentQueue<(string Path, string ContentType, string Body)> Calls { get; } = new();

    /// <summary>The Authorization header of every call, by path ("" when absent).</summary>
    public ConcurrentQueue<(string Path, string Authorization)> Authorizations { get; } = new();

    public const string TelUrl = "tel:+31201234567,,482913";

    public static Task<RecordingPlugin> StartAsync() => StartServerAsync(new RecordingPlugin(), "the recording plugin");

    protected override void Map(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            Calls.Enqueue((http.Request.Path, http.Request.ContentType ?? "", await reader.ReadToEndAsync()));
            Authorizations.Enqueue((http.Request.Path, http.Request.Headers.Authorization.ToString()));
            await next(http);
        });
        app.MapPost("/phone/start_communication", () => Results.Json(new { client_url = TelUrl, attr_url = BaseUrl + "/phone/attr" }));
        // A comm plugin whose attr_url no call can reach: the core must not keep it for a later post or status.
        app.MapPost("/badattr/start_communication", () => Results.Json(new { client_url = TelUrl, attr_url = "file:///etc/passwd" }));
        app.MapPost("/noattr/start_communication", () => Results.Json(new { client_url = BaseUrl + "/noattr/landing?x=1#top" }));
        app.MapPost("/phone/attr", () => Results.Ok());
        // A plugin that says more than the state: the core's phone page passes on the state alone.
        app.MapGet("/phone/attr/status", () => Results.Json(new { state = "identified", fullname = "Fatima El Amrani" }));
        app.MapPost("/auth/start_authentication", () => Results.Json(new { client_url = BaseUrl + "/auth/page" }));
        app.MapPost("/slow/start_authentication", async (HttpContext http) =>
        {
            // Far past the core's timeout; ends when the core gives up.
            await Task.Delay(TimeSpan.FromSeconds(60), http.RequestAborted);
            return Results.Json(new { client_url = BaseUrl + "/slow/page" });
        });
        app.MapPost("/broken/start_authentication", () => Results.StatusCode(500));
        app.MapPost("/script/start_authentication", () => Results.Json(new { client_url = "javascript:alert(document.cookie)" }));
        app.MapPost("/refusing/start_communication", () => Results.Problem(statusCode: 400, title: "Invalid auth result", detail: "The token has expired."));
        // JSON in a charset .NET will not decode (UTF-7 is disabled) or does not know: an unusable answer.
        app.MapPost("/charset/start_authentication", (HttpContext http) => RawJson(http, "utf-7", "{\"client_url\":\"https://a.example/\"}", 200));
        app.MapPost("/charset/start_communication", (HttpContext http) => RawJson(http, "bogus", "{\"detail\":\"The token has expired.\"}", 400));
        app.MapPost("/garbage/start_authentication", () => Results.Text("<html>not json</html>", "text/html"));
    }

    private static Task RawJson(HttpContext http, string charset, string json, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=" + charset;
        return http.Response.WriteAsync(json);
    }

    public IEnumerable<string> Paths => Calls.Select(c => c.Path);
}
