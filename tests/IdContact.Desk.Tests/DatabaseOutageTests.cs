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
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-outage-{tenant}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = target.ConnectionString },
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
            await using var connection = new NpgsqlConnection(DeskServer.Postgres + ";Database=postgres");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Tenants.TenantDatabases.DatabaseName(tenant)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static Task<HttpResponseMessage> Start(RunningServer server, string tenant) =>
        server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });

    /// <summary>Forwards loopback connections to the database; Stop refuses new ones and cuts the open ones.</summary>
    private sealed class TcpRelay : IAsyncDisposable
    {
        private readonly string _host;
        private readonly int _targetPort;
        private readonly List<TcpClient> _open = [];
        private TcpListener _listener;
        private CancellationTokenSource _running = new();

        private TcpRelay(string host, int targetPort)
        {
            _host = host;
            _targetPort = targetPort;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync(_listener, _running.Token);
        }

        public int Port { get; }

        public static TcpRelay Start(string host, int port) => new(host, port);

        public void Stop()
        {
            _running.Cancel();
            _listener.Stop();
            lock (_open)
            {
                _open.ForEach(c => c.Dispose());
                _open.Clear();
            }
        }

        public void Resume()
        {
            _running = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Start();
            _ = AcceptAsync(_listener, _running.Token);
        }

        public ValueTask DisposeAsync()
        {
            Stop();
            return ValueTask.CompletedTask;
        }

        private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(ct);
                    var upstream = new TcpClient();
                    await upstream.ConnectAsync(_host, _targetPort, ct);
                    lock (_open)
                    {
                        _open.Add(client);
                        _open.Add(upstream);
                    }

                    _ = PipeAsync(client, upstream, ct);
                    _ = PipeAsync(upstream, client, ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private static async Task PipeAsync(TcpClient from, TcpClient to, CancellationToken ct)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream(), ct);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // One side went away.
            }
            finally
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
