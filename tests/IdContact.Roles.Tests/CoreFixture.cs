using System.Text.Json;
using IdContact.Protocol.Keys;

namespace IdContact.Roles.Tests;

/// <summary>A server whose tenant "testville" mixes our own plugin roles with a recording third-party plugin.</summary>
public sealed class CoreFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public RecordingPlugin Plugin { get; private set; } = null!;

    public PrivateKey StarterKey { get; } = PrivateKey.Generate(KeyType.Ec);

    /// <summary>The key the core is configured to send to the recorder's "keyed" auth method.</summary>
    public const string RecorderKey = "core-to-recorder-key-0123456789";

    /// <summary>The key the core sends to othertown's phone plugin.</summary>
    public const string OthertownPhoneKey = "core-to-othertown-phone-key-0123";

    private string _configPath = "";

    public async Task InitializeAsync()
    {
        Plugin = await RecordingPlugin.StartAsync();
        var rec = Plugin.BaseUrl;
        var config = new
        {
            Demo = true,
            Core = new { PluginTimeoutSeconds = 5, AllowedOrigins = new[] { "http://municipality.example" } },
            Tenants = new Dictionary<string, object>
            {
                ["testville"] = new
                {
                    DisplayName = "Gemeente Testville",
                    Purposes = new object[]
                    {
                        new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "email" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } },
                        new { Tag = "restricted", Name = "Beperkt", Attributes = new[] { "bsn" }, AllowedAuth = new[] { "test" }, AllowedComm = new[] { "test" } },
                    },
                    AuthMethods = new object[]
                    {
                        new { Tag = "test", Name = "Testinlog", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test" },
                        new { Tag = "shimmed", Name = "Alleen redirect", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test", DisableAttrUrl = true },
                        new { Tag = "recorded", Name = "Opname", ImagePath = "https://cdn.example/i.svg", Start = rec + "/auth", ShimTelUrl = true },
                        new { Tag = "recorded-both", Name = "Opname 2", ImagePath = "x.svg", Start = rec + "/auth", ShimTelUrl = true, DisableAttrUrl = true },
                        new { Tag = "slow", Name = "Traag", ImagePath = "x.svg", Start = rec + "/slow" },
                        new { Tag = "broken", Name = "Stuk", ImagePath = "x.svg", Start = rec + "/broken" },
                        new { Tag = "garbage", Name = "Onzin", ImagePath = "x.svg", Start = rec + "/garbage" },
                        new { Tag = "down", Name = "Onbereikbaar", ImagePath = "x.svg", Start = "http://127.0.0.1:1/auth" },
                        new { Tag = "keyed", Name = "Met sleutel", ImagePath = "x.svg", Start = rec + "/auth", ApiKey = RecorderKey },
                        new { Tag = "script", Name = "Script", ImagePath = "x.svg", Start = rec + "/script" },
                        new { Tag = "charset", Name = "Tekenset", ImagePath = "x.svg", Start = rec + "/charset" },
                    },
                    CommMethods = new object[]
                    {
                        new { Tag = "test", Name = "Testgesprek", ImagePath = "/static/comm-test.svg", Start = "/{tenant}/comm-test" },
                        new { Tag = "late", Name = "Later", ImagePath = "x.svg", Start = rec + "/phone", DisableAttributesAtStart = true },
                        new { Tag = "phone", Name = "Bellen", ImagePath = "x.svg", Start = rec + "/phone" },
                        new { Tag = "noattr", Name = "Zonder attr_url", ImagePath = "x.svg", Start = rec + "/noattr", DisableAttributesAtStart = true },
                        new { Tag = "refusing", Name = "Weigert", ImagePath = "x.svg", Start = rec + "/refusing" },
                        new { Tag = "charset", Name = "Tekenset", ImagePath = "x.svg", Start = rec + "/charset" },
                        new { Tag = "badattr", Name = "Kapotte attr_url", ImagePath = "x.svg", Start = rec + "/badattr", DisableAttributesAtStart = true },
                    },
                    StarterKeys = new Dictionary<string, object>
                    {
                        ["desk-1"] = new { Type = "EC", Key = StarterKey.PublicKey.ToPem() },
                    },
                },
                ["othertown"] = new
                {
                    DisplayName = "Gemeente Otherstad",
                    Purposes = new object[] { new { Tag = "other_only", Name = "Ander", Attributes = new[] { "email" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new object[] { new { Tag = "test", Name = "Testinlog", ImagePath = "x.svg", Start = "/{tenant}/auth-test" } },
                    CommMethods = new object[]
                    {
                        new { Tag = "test", Name = "Testgesprek", ImagePath = "x.svg", Start = "/{tenant}/comm-test" },
                        // Its own phone plugin with its own key: a testville phone link must never carry it anywhere.
                        new { Tag = "phone", Name = "Bellen", ImagePath = "x.svg", Start = rec + "/other-phone", ApiKey = OthertownPhoneKey },
                    },
                },
            },
        };
        _configPath = Path.Combine(Path.GetTempPath(), $"idcontact-core-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_configPath, JsonSerializer.Serialize(config));
        Server = await RunningServer.StartAsync("--config", _configPath);
    }

    public void ClearCalls()
    {
        Plugin.Calls.Clear();
        Plugin.Authorizations.Clear();
    }

    /// <summary>POST /testville/start as a municipal page's script does, asking for JSON.</summary>
    public Task<HttpResponseMessage> StartJsonAsync(object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/testville/start") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/json");
        return Server.Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Plugin.DisposeAsync();
        File.Delete(_configPath);
    }
}
