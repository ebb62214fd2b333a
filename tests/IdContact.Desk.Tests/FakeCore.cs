using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Tests;

/// <summary>
/// The core as the desk's identification sees it (Desk:CoreUrl): session_options lists one method, and every auth-only
/// start is recorded and answered with a sign-in page, so a test can read the attr_url the desk asked for.
/// </summary>
public sealed class FakeCore : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCore(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The request claim of every auth-only start, by tenant.</summary>
    public ConcurrentQueue<(string Tenant, JsonElement Request)> Starts { get; } = new();

    /// <summary>While true, the core refuses auth-only starts (502), as when it is down.</summary>
    public bool Refuse { get; set; }

    public const string SignInPage = "https://auth.example/sign-in";

    /// <summary>On a free port, drawn again if another socket takes it before the bind.</summary>
    public static Task<FakeCore> StartAsync() => RunningServer.OnFreePortsAsync(async () =>
    {
        var baseUrl = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        var app = builder.Build();
        var core = new FakeCore(app, baseUrl);
        app.MapGet("/{tenant}/session_options/{purpose}", () => Results.Json(new
        {
            auth_methods = new[] { new { tag = "test", name = "Testinlog", image_path = "/x.svg" } },
            comm_methods = Array.Empty<object>(),
        }));
        app.MapPost("/{tenant}/start", async (HttpContext http, string tenant) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var jws = await reader.ReadToEndAsync();
            if (core.Refuse)
            {
                return Results.StatusCode(502);
            }

            var payload = jws.Split('.')[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement;
            core.Starts.Enqueue((tenant, claims.GetProperty("request").Clone()));
            return Results.Json(new { client_url = SignInPage });
        });
        await app.StartAsync();
        return core;
    });

    public async ValueTask DisposeAsync()
    {
        await Bounded.StopAsync(_app, "the fake core");
    }
}
