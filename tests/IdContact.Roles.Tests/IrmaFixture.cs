using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Auth.Irma.Fake;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests;

/// <summary>
/// The embedded demo (auth-irma with its fake IRMA server) plus a recording comm plugin: every result token posted to
/// <c>{Recorder}/attr/{id}</c> is kept, so tests open exactly what a comm plugin would receive.
/// </summary>
public sealed partial class IrmaFixture : IAsyncLifetime
{
    private LoopbackServer _recorder = null!;

    public RunningServer Server { get; private set; } = null!;

    public HttpClient Client => Server.Client;

    public string RecorderUrl { get; private set; } = "";

    public ConcurrentQueue<(string Id, string Token)> Delivered { get; } = new();

    public PrivateKey AuthSigningKey { get; private set; } = null!;

    public PrivateKey CommDecryptionKey { get; private set; } = null!;

    public FakeSessions FakeSessions => Server.App.Services.GetRequiredService<FakeSessions>();

    public async Task InitializeAsync()
    {
        // The recorder plays a foreign comm plugin, so the server trusts its origin.
        RecorderUrl = $"http://127.0.0.1:{RunningServer.FreePort()}";
        Server = await RunningServer.StartAsync("--TrustedOrigins:1", RecorderUrl);
        var keys = Path.Combine(Server.DataDirectory, "keys");
        AuthSigningKey = PrivateKey.FromPem(KeyType.Rsa, await File.ReadAllTextAsync(Path.Combine(keys, "auth-signing.pem")));
        CommDecryptionKey = PrivateKey.FromPem(KeyType.Rsa, await File.ReadAllTextAsync(Path.Combine(keys, "comm-decryption.pem")));

        _recorder = await LoopbackServer.StartAtAsync(RecorderUrl, "the recording comm plugin", recorder =>
        {
            recorder.MapPost("/attr/{id}", async (string id, HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                Delivered.Enqueue((id, await reader.ReadToEndAsync()));
                return Results.Ok();
            });
            recorder.MapPost("/refuse/{id}", () => Results.StatusCode(503));
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _recorder.DisposeAsync();
    }

    /// <summary>A fresh attr_url at the recorder, with the id to look its deliveries up by.</summary>
    public (string AttrUrl, string Id) NewAttrUrl()
    {
        var id = Guid.NewGuid().ToString("N");
        return ($"{RecorderUrl}/attr/{id}", id);
    }

    public List<AuthResult> DeliveredTo(string id) =>
        [.. Delivered.Where(d => d.Id == id).Select(d => Open(d.Token))];

    public AuthResult Open(string token)
    {
        var opened = AuthResultToken.Open(token, CommDecryptionKey, [AuthSigningKey.PublicKey], DateTimeOffset.UtcNow);
        Assert.True(opened.IsValid, opened.Refusal);
        return opened.Result!;
    }

    public async Task<HttpResponseMessage> PostStartAsync(string[] attributes, string continuation, string? attrUrl = null, string tenant = "arnhem")
    {
        object body = attrUrl is null ? new { attributes, continuation } : new { attributes, continuation, attr_url = attrUrl };
        return await Client.PostAsJsonAsync($"/{tenant}/auth-irma/start_authentication", body);
    }

    /// <summary>Starts an IRMA authentication and loads the resident's page.</summary>
    public async Task<IrmaPage> StartAsync(string[] attributes, string continuation, string? attrUrl = null)
    {
        var response = await PostStartAsync(attributes, continuation, attrUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pageUrl = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        return new IrmaPage(pageUrl, await Client.GetStringAsync(pageUrl));
    }

    /// <summary>Plays the phone: the outcome and values a scripted Yivi app gives.</summary>
    public async Task ScriptAsync(IrmaPage page, string outcome, Dictionary<string, string>? attributes = null)
    {
        var response = await Client.PostAsJsonAsync($"/irma-fake/irma/session/{page.ClientToken}/script",
            new { outcome, attributes = attributes ?? [] });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed partial record IrmaPage(string Url, string Html)
    {
        public string ClientToken => ScanLink().Match(Html).Groups[2].Value;

        public string ScanUrl => WebUtility.HtmlDecode(ScanLink().Match(Html).Groups[1].Value);

        public string FinishUrl => Resolve(ContinueLink().Match(Html).Groups[1].Value);

        public string StatusUrl => Resolve(Regex.Match(Html, "data-status-url=\"([^\"]*)\"").Groups[1].Value);

        public string Session => TestPluginsFixture.Inputs(Html)["s"];

        public string CancelUrl => Resolve(TestPluginsFixture.FormAction(Html));

        private string Resolve(string relative) => new Uri(new Uri(Url), WebUtility.HtmlDecode(relative)).ToString();

        [GeneratedRegex("href=\"([^\"]*/irma-fake/irma/session/([0-9a-f]+)[^\"]*)\"")]
        private static partial Regex ScanLink();

        [GeneratedRegex("id=\"irma-continue\" href=\"([^\"]*)\"")]
        private static partial Regex ContinueLink();
    }
}
