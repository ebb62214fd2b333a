using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Auth.Test.Session;
using IdContact.Desk.Admin;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Bench;

/// <summary>The real server, in this process, on loopback; with a signed-in agent and the keys to make results.</summary>
public sealed partial class BenchServer : IAsyncDisposable
{
    public const string ExchangeKey = "bench-exchange-key-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly string _data;
    private readonly BenchPostgres? _postgres;

    private BenchServer(WebApplication app, string baseUrl, string tenant, string data, BenchPostgres? postgres, HttpClient agent, CookieContainer cookies, string agentId, PrivateKey signer, PrivateKey desk)
    {
        AgentCookies = cookies;
        AgentId = agentId;
        _app = app;
        BaseUrl = baseUrl;
        Tenant = tenant;
        _data = data;
        _postgres = postgres;
        Agent = agent;
        Signer = signer;
        DeskKey = desk.PublicKey;
    }

    public string BaseUrl { get; }

    public string Tenant { get; }

    /// <summary>A client with the agent's sign-in cookie.</summary>
    public HttpClient Agent { get; }

    /// <summary>The agent's sign-in cookie, for the SignalR connection to the agents' hub.</summary>
    public CookieContainer AgentCookies { get; }

    public string AgentId { get; }

    public PrivateKey Signer { get; }

    public string Provider => _postgres is null ? "Sqlite" : "Postgres";

    /// <summary>The bench's own installation database (used results) on PostgreSQL: no other server's work is counted.</summary>
    public string InstallationDatabase => BenchPostgres.InstallationDatabase(Tenant);

    /// <summary>
    /// Statements and transactions committed so far in the bench's tenant database and the installation database
    /// (pg_stat_database): outside an explicit transaction each statement is one, so per flow this counts the round
    /// trips that did work, a figure no other load on the machine moves. Null on SQLite.
    /// </summary>
    public async Task<long?> PostgresTransactionsAsync() => _postgres is null ? null : await _postgres.TransactionsAsync();

    /// <summary>
    /// Rows in the tenant's access audit: the per-call page adds one view per flow, the agent's overview one per contact
    /// it shows for the first time within the view window (Desk:AuditViewWindowMinutes), not one per render.
    /// </summary>
    public async Task<long> AuditRowsAsync()
    {
        await using var db = _app.Services.GetRequiredService<TenantDatabases>().Open(Tenant);
        return await db.Audit.LongCountAsync();
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>What the test auth role's page holds for the link <paramref name="clientUrl"/>: the desk's attr_url and the continuation.</summary>
    public (string AttrUrl, string Continuation) AuthPageRequest(string clientUrl)
    {
        var state = QueryHelpers.ParseQuery(new Uri(clientUrl).Query)["s"].ToString();
        var request = _app.Services.GetRequiredService<SessionLinks>().Read(Tenant, state)
            ?? throw new InvalidOperationException("core start answered no test auth page link");
        return (request.AttrUrl ?? throw new InvalidOperationException("the auth plugin got no attr_url"), request.Continuation);
    }

    public PublicKey DeskKey { get; }

    public static async Task<BenchServer?> StartAsync(string provider, KeyType keyType, bool dbTls = true, string? dbSocket = null)
    {
        var tenant = "bench" + Guid.NewGuid().ToString("N")[..6];
        BenchPostgres? postgres = null;
        if (provider == "Postgres" && (postgres = await BenchPostgres.ConnectAsync(tenant, dbTls, dbSocket)) is null)
        {
            return null;
        }

        var signer = PrivateKey.Generate(keyType);
        var desk = PrivateKey.Generate(keyType);
        var data = Directory.CreateTempSubdirectory("idcontact-bench-").FullName;
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true, // the bench signs in with the test auth role
            Logging = new { LogLevel = new { Default = "Warning" } },
            // Client and server share one address here: the per-address limits would measure themselves.
            RateLimits = new { StartPerMinute = 10_000_000, PluginStartPerMinute = 10_000_000, ResultPerMinute = 10_000_000, ExchangePerMinute = 10_000_000, LoginPerMinute = 10_000_000 },
            AuthTest = new { SigningKey = signer.ToConfig(), EncryptionKey = desk.PublicKey.ToConfig() },
            Desk = new
            {
                DatabaseProvider = provider,
                PostgresConnectionString = postgres is null ? null : postgres.ConnectionString + ";Maximum Pool Size=200",
                InstallationDatabase = BenchPostgres.InstallationDatabase(tenant),
                DecryptionKey = desk.ToConfig(),
                VerificationKeys = new[] { signer.PublicKey.ToConfig() },
            },
            Tenants = new Dictionary<string, object>
            {
                [tenant] = new
                {
                    DisplayName = "Gemeente Bench",
                    Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "bsn" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/x.svg", Start = "/{tenant}/auth-test" } },
                    // Chat for the soak run (Soak.cs); the phone flows never use it.
                    CommMethods = new[] { new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" }, new { Tag = "chat", Name = "Chatten", ImagePath = "/x.svg", Start = "/{tenant}/chat" } },
                    Desk = new { PhoneNumber = "+31201234567", DtmfLength = 8, ExchangeApiKey = ExchangeKey },
                },
            },
        }));

        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var app = IdContactServer.Build(["--urls", baseUrl, "--data", data, "--config", config]);
        await app.StartAsync();
        var options = app.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, _) = await AdminBootstrap.CreateAdminAsync(options, tenant, "bench", "Bench", "201");
        string agentId;
        await using (var db = app.Services.GetRequiredService<TenantDatabases>().Open(tenant))
        {
            await db.Users.ExecuteUpdateAsync(u => u.SetProperty(a => a.MustChangePassword, false));
            agentId = await db.Users.Select(u => u.Id).SingleAsync();
        }

        var cookies = new CookieContainer();
        var agent = await SignInAsync(baseUrl, tenant, password!, cookies);
        return new BenchServer(app, baseUrl, tenant, data, postgres, agent, cookies, agentId, signer, desk);
    }

    public static HttpClient NewClient(string baseUrl, CookieContainer? cookies = null) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1000,
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
    })
    { BaseAddress = new Uri(baseUrl) };

    private static async Task<HttpClient> SignInAsync(string baseUrl, string tenant, string password, CookieContainer cookies)
    {
        var client = NewClient(baseUrl, cookies);
        var login = await client.GetStringAsync($"/{tenant}/desk/login");
        var field = AntiforgeryField().Match(login);
        var response = await client.PostAsync($"/{tenant}/desk/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = field.Groups[2].Value,
            ["userName"] = "bench",
            ["password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"Agent sign-in failed: {(int)response.StatusCode}");
        }

        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
        if (_postgres is not null)
        {
            await _postgres.DropAsync();
        }
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
