using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Tests;

/// <summary>
/// The core as the desk's identification sees it (Desk:CoreUrl): session_options lists one method, and every auth-only
/// start is recorded and answered with a sign-in page, so a test can read the attr_url the desk asked for.
/// </summary>
public sealed class FakeCore : LoopbackFake
{
    private FakeCore()
    {
    }

    public string BaseUrl => Url;

    /// <summary>The request claim of every auth-only start, by tenant.</summary>
    public ConcurrentQueue<(string Tenant, JsonElement Request)> Starts { get; } = new();

    /// <summary>Every auth-only start as it came over the wire: content type, Accept header and the JWS itself.</summary>
    public ConcurrentQueue<(string ContentType, string Accept, string Jws)> Wire { get; } = new();

    /// <summary>While true, the core refuses auth-only starts (502), as when it is down.</summary>
    public bool Refuse { get; set; }

    /// <summary>While set, an auth-only start signals Arrived and then waits for Release before answering, as a slow core does.</summary>
    public (TaskCompletionSource Arrived, TaskCompletionSource Release)? Stall { get; set; }

    /// <summary>How many times session_options was asked for.</summary>
    public int OptionsAsked => Volatile.Read(ref _optionsAsked);

    private int _optionsAsked;

    public const string SignInPage = "https://auth.example/sign-in";

    /// <summary>On a free port.</summary>
    public static Task<FakeCore> StartAsync() => StartServerAsync(new FakeCore(), "the fake core");

    protected override void Map(WebApplication app)
    {
        app.MapGet("/{tenant}/session_options/{purpose}", () =>
        {
            Interlocked.Increment(ref _optionsAsked);
            return Results.Json(new
            {
                auth_methods = new[] { new { tag = "test", name = "Testinlog", image_path = "/x.svg" } },
                comm_methods = Array.Empty<object>(),
            });
        });
        app.MapPost("/{tenant}/start", async (HttpContext http, string tenant) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var jws = await reader.ReadToEndAsync();
            Wire.Enqueue((http.Request.ContentType ?? "", http.Request.Headers.Accept.ToString(), jws));
            if (Stall is { } stall)
            {
                stall.Arrived.TrySetResult();
                await stall.Release.Task;
            }

            if (Refuse)
            {
                return Results.StatusCode(502);
            }

            var payload = jws.Split('.')[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement;
            Starts.Enqueue((tenant, claims.GetProperty("request").Clone()));
            return Results.Json(new { client_url = SignInPage });
        });
    }
}
