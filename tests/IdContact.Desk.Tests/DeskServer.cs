using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>A real server running the desk for two municipalities on SQLite or PostgreSQL.</summary>
public abstract class DeskServer : IAsyncLifetime
{
    public const string KeyA = "exchange-key-of-tenant-a-0123456789";
    public const string KeyB = "exchange-key-of-tenant-b-0123456789";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private string _config = "";

    protected abstract string Provider { get; }

    public RunningServer Server { get; private set; } = null!;

    public string TenantA => "a" + _suffix;

    public string TenantB => "b" + _suffix;

    /// <summary>A municipality with its own decryption key.</summary>
    public string TenantC => "c" + _suffix;

    public const string KeyC = "exchange-key-of-tenant-c-0123456789";

    /// <summary>The shared decryption key of tenants A and B.</summary>
    public PrivateKey DeskKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    public PrivateKey TenantCKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    /// <summary>A production auth plugin's key, trusted under the name "Yivi".</summary>
    public PrivateKey YiviKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    /// <summary>The test sign-in's key, trusted but marked as a test key.</summary>
    public PrivateKey TestKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    public TenantDatabases Databases => Server.App.Services.GetRequiredService<TenantDatabases>();

    public static string Postgres => Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    public async Task InitializeAsync()
    {
        _config = Path.Combine(Path.GetTempPath(), $"idcontact-desk-{_suffix}.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new
            {
                DatabaseProvider = Provider,
                PostgresConnectionString = Provider == "Postgres" ? Postgres : null,
                DecryptionKey = DeskKey.ToConfig(),
                VerificationKeys = new[]
                {
                    new { Type = "RSA", Key = YiviKey.PublicKey.ToPem(), Name = "Yivi", Test = false },
                    new { Type = "RSA", Key = TestKey.PublicKey.ToPem(), Name = "Testinlog", Test = true },
                },
            },
            Tenants = new Dictionary<string, object>
            {
                [TenantA] = Tenant(KeyA, "+31201111111"),
                [TenantB] = Tenant(KeyB, "+31202222222"),
                [TenantC] = Tenant(KeyC, "+31203333333", TenantCKey),
            },
        }));
        Server = await RunningServer.StartAsync("--config", _config);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(_config);
        if (Provider == "Postgres")
        {
            await using var connection = new NpgsqlConnection(Postgres + ";Database=postgres");
            await connection.OpenAsync();
            foreach (var tenant in new[] { TenantA, TenantB, TenantC })
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {TenantDatabases.DatabaseName(tenant)} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    public async Task<(string Code, string AttrUrl, string Tel)> StartPhoneAsync(string tenant)
    {
        var response = await Server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var tel = body.GetProperty("client_url").GetString()!;
        return (tel.Split(",,")[1], body.GetProperty("attr_url").GetString()!, tel);
    }

    /// <summary>A result signed with the test sign-in's key (or <paramref name="signer"/>), encrypted to the shared desk key (or <paramref name="recipient"/>).</summary>
    public string Token(string fullname, DateTimeOffset? now = null, PrivateKey? signer = null, PrivateKey? recipient = null) =>
        AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = fullname, ["bsn"] = "999993653" }),
            signer ?? TestKey,
            (recipient ?? DeskKey).PublicKey,
            now ?? DateTimeOffset.UtcNow);

    public Task<HttpResponseMessage> PostTokenAsync(string attrUrl, string token, string contentType = "application/jwt") =>
        Server.Client.PostAsync(attrUrl, new StringContent(token, Encoding.ASCII, contentType));

    public async Task<(int Status, JsonElement Body)> ExchangeAsync(string tenant, string action, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/{action}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public static object Tenant(string key, string phone, PrivateKey? decryptionKey = null) => new
    {
        DisplayName = "Gemeente " + phone,
        Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "bsn" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
        AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/x.svg", Start = "https://auth.example" } },
        CommMethods = new[] { new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" } },
        Desk = new { PhoneNumber = phone, DtmfLength = 6, ExchangeApiKey = key, DecryptionKey = decryptionKey?.ToConfig(), ExternalLinkTemplate = "https://zaken.example.nl/?bsn={bsn}" },
    };
}

public sealed class SqliteDeskServer : DeskServer
{
    protected override string Provider => "Sqlite";
}

public sealed class PostgresDeskServer : DeskServer
{
    protected override string Provider => "Postgres";
}
