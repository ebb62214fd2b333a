using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using IdContact.Roles.Tests;
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
        var target = new NpgsqlConnectionStringBuilder(DeskServer.Postgres);
        await using var relay = TcpRelay.Start(target.Host!, target.Port);
        target.Port = relay.Port;
        target.Pooling = false; // every request opens its own connection, as after an outage of the pool
        var tenant = "outage" + Guid.NewGuid().ToString("N")[..8];
        await using var databases = new TestPostgres(tenant);
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-outage-{tenant}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = target.ConnectionString, databases.InstallationDatabase },
            Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant(DeskServer.KeyA, "+31201111111") },
        }));
        await using var server = await RunningServer.StartAsync("--config", config);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Start(server, tenant)).StatusCode);

            relay.Stop();
            var during = await Start(server, tenant);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(during.Headers.RetryAfter);
            Assert.DoesNotContain(target.Host!, await during.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health/ready")).StatusCode);

            relay.Resume();
            Assert.Equal(HttpStatusCode.OK, (await Start(server, tenant)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static Task<HttpResponseMessage> Start(RunningServer server, string tenant) =>
        server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
}
