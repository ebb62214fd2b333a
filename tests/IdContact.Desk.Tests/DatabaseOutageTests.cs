using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// PostgreSQL going away mid-run: requests get 503 problems (never a 500, never a hang) and the desk recovers by
/// itself when the database returns. The outage is a real one: the desk reaches PostgreSQL through a TCP relay the
/// test stops and starts again.
/// </summary>
public class DatabaseOutageTests
{
    [Fact]
    public async Task Requests_get_503_while_the_database_is_away_and_work_again_when_it_returns()
    {
        await using var outage = await Outage.StartAsync();
        var (relay, server, tenant) = (outage.Relay, outage.Server, outage.Tenant);
        Assert.Equal(HttpStatusCode.OK, (await Start(server, tenant)).StatusCode);

        relay.Stop();
        var during = await Start(server, tenant);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(DeskServer.Postgres).Host!, await during.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health/ready")).StatusCode);

        relay.Resume();
        Assert.Equal(HttpStatusCode.OK, (await Start(server, tenant)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task An_agent_page_connects_to_its_live_updates_while_the_database_is_away()
    {
        await using var outage = await Outage.StartAsync();
        var (relay, server, tenant) = (outage.Relay, outage.Server, outage.Tenant);
        await DeskAgent.CreateAsync(server.App.Services.GetRequiredService<TenantDatabases>(), tenant, "anna");
        using var agent = new DeskAgent(new Uri(server.BaseUrl), tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync("anna")).StatusCode);

        // Connecting renews the agent's chat presence, which needs the database; the live list does not.
        relay.Stop();
        var connection = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{tenant}/desk/hub", o => o.Cookies = agent.CookieJar).Build();
        await using var connectionDisposal = connection.DisposedBounded();
        await connection.StartAsync();
        // The hub reads no message before its connect step has finished. That step survived the outage: this call
        // reaches the hub and fails there (a hub error), where a failed connect would have closed the connection.
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Renew"));
        relay.Resume();
        await connection.InvokeAsync("Renew");
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    /// <summary>
    /// A desk whose PostgreSQL is behind a relay the test can stop; unpooled, so every request opens its own connection,
    /// as after an outage of the pool.
    /// </summary>
    private sealed record Outage(TcpRelay Relay, TestPostgres Databases, RunningServer Server, string Tenant, string Config) : IAsyncDisposable
    {
        public static async Task<Outage> StartAsync()
        {
            var target = new NpgsqlConnectionStringBuilder(DeskServer.Postgres);
            var relay = TcpRelay.Start(target.Host!, target.Port);
            target.Port = relay.Port;
            target.Pooling = false;
            var tenant = "outage" + Guid.NewGuid().ToString("N")[..8];
            var databases = new TestPostgres(tenant);
            var config = Path.Combine(Path.GetTempPath(), $"idcontact-outage-{tenant}.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                Demo = true,
                Roles = "desk",
                Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = target.ConnectionString, databases.InstallationDatabase },
                Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant(DeskServer.KeyA, "+31201111111") },
            }));
            try
            {
                return new Outage(relay, databases, await RunningServer.StartAsync("--config", config), tenant, config);
            }
            catch
            {
                await databases.DisposeAsync();
                await relay.DisposeAsync();
                File.Delete(config);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Databases.DisposeAsync();
            await Relay.DisposeAsync();
            File.Delete(Config);
        }
    }

    private static Task<HttpResponseMessage> Start(RunningServer server, string tenant) =>
        server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
}
