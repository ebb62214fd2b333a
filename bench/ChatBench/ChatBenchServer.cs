using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.AspNetCore.Builder;

namespace IdContact.Bench.Chat;

/// <summary>
/// The real server in this process on loopback (demo mode), with one municipality made for the run: its desk on SQLite
/// in a temporary directory, or on PostgreSQL in a tenant database and an installation database dropped at the end.
/// </summary>
public sealed class ChatBenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;
    private readonly HttpClient _http;

    private ChatBenchServer(WebApplication app, string baseUrl, string tenant, string data, BenchPostgres? postgres)
    {
        _app = app;
        _data = data;
        BaseUrl = baseUrl;
        Tenant = tenant;
        Postgres = postgres;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", DemoConfiguration.DemoPluginKey);
    }

    public string BaseUrl { get; }

    public string Tenant { get; }

    /// <summary>The run's PostgreSQL databases; null on SQLite.</summary>
    public BenchPostgres? Postgres { get; }

    /// <summary>Null when PostgreSQL was asked for and does not answer (the reason is printed).</summary>
    public static async Task<ChatBenchServer?> StartAsync(string provider, bool dbTls)
    {
        var tenant = "chatbench" + Guid.NewGuid().ToString("N")[..6];
        BenchPostgres? postgres = null;
        if (provider == "Postgres" && (postgres = await BenchPostgres.ConnectAsync(tenant, dbTls)) is null)
        {
            return null;
        }

        var data = Directory.CreateTempSubdirectory("idcontact-chatbench-").FullName;
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Logging = new { LogLevel = new { Default = "Warning" } },
            // As the embedded demo has them (the bench ran on it before it had a PostgreSQL pass).
            Metrics = new { Enabled = true },
            // Client and server share one address here: the per-address limit would measure itself.
            RateLimits = new { PluginStartPerMinute = 10_000_000 },
            Desk = new
            {
                DatabaseProvider = provider,
                // Well under the server's max_connections (100), which other programs on the machine share.
                PostgresConnectionString = postgres is null ? null : postgres.ConnectionString + ";Maximum Pool Size=40",
                InstallationDatabase = BenchPostgres.InstallationDatabase(tenant),
                // The most the desk allows: the bench's chats send far faster than a person types.
                ChatMessagesPerMinute = 600,
            },
            Tenants = new Dictionary<string, object>
            {
                [tenant] = new
                {
                    DisplayName = "Gemeente Chatbench",
                    Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/x.svg", Start = "/{tenant}/auth-test" } },
                    CommMethods = new[] { new { Tag = "chat", Name = "Chatten", ImagePath = "/x.svg", Start = "/{tenant}/chat" } },
                },
            },
        }));

        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var baseUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}";
        port.Stop();
        var app = IdContactServer.Build(["--urls", baseUrl, "--data", data, "--config", config]);
        await app.StartAsync();
        return new ChatBenchServer(app, baseUrl, tenant, data, postgres);
    }

    /// <summary>Starts a chat as the core would; answers the resident's hub URL with the chat's capability.</summary>
    public async Task<string> StartChatAsync()
    {
        var start = await _http.PostAsJsonAsync($"/{Tenant}/chat/start_communication", new { purpose = "report_move" });
        start.EnsureSuccessStatusCode();
        var capability = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!.Split('/').Last();
        return $"{BaseUrl}/{Tenant}/chat/hub?c={capability}";
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
        if (Postgres is not null)
        {
            await Postgres.DropAsync();
        }
    }
}
