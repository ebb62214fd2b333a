using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// A PostgreSQL restart ends every session, the idle ones in the desk's pools too: one pool per database (each tenant's and
/// the installation's). The first request that meets a dead connection fails (503); the ones after it, to any
/// municipality, get fresh connections, instead of each database's pool failing a request of its own.
/// pg_terminate_backend does to the sessions what a restart does (57P01).
/// </summary>
public sealed class PostgresRestartTests
{
    private const int Pooled = 3;

    [Fact]
    public async Task After_the_server_ended_every_session_at_most_one_request_fails()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] tenants = ["ra" + suffix, "rb" + suffix, "rc" + suffix];
        await using var databases = new TestPostgres(tenants);
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-restart-{suffix}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = DeskServer.Postgres, databases.InstallationDatabase },
            Tenants = tenants.ToDictionary(t => t, t => DeskServer.Tenant(DeskServer.KeyA, "+31201111111")),
        }));
        try
        {
            await using var server = await RunningServer.StartAsync("--config", config);
            foreach (var tenant in tenants)
            {
                Assert.Equal(HttpStatusCode.OK, (await Start(server, tenant)).StatusCode);
                await FillPoolAsync(server.App.Services.GetRequiredService<TenantDatabases>(), tenant);
            }

            await EndSessionsAsync([.. tenants.Select(TenantDatabases.DatabaseName), databases.InstallationDatabase]);

            var statuses = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                foreach (var tenant in tenants)
                {
                    statuses.Add($"{tenant[..2]} {(int)(await Start(server, tenant)).StatusCode}");
                }
            }

            Assert.True(statuses.Count(s => !s.EndsWith("200", StringComparison.Ordinal)) <= 1, "After the sessions ended: " + string.Join(", ", statuses));
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>Several connections open at once, then back in the pool: idle sessions, as on a server between peaks.</summary>
    private static async Task FillPoolAsync(TenantDatabases databases, string tenant)
    {
        var contexts = Enumerable.Range(0, Pooled).Select(_ => databases.Open(tenant)).ToList();
        foreach (var db in contexts)
        {
            await db.Database.OpenConnectionAsync();
        }

        foreach (var db in contexts)
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>Ends every session of the databases, from another connection, and waits until they are gone.</summary>
    private static async Task EndSessionsAsync(string[] names)
    {
        await using var admin = new NpgsqlConnection(DeskServer.Postgres + ";Database=postgres;Pooling=false");
        await admin.OpenAsync();
        await using var end = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE datname = ANY(@db)", admin);
        end.Parameters.AddWithValue("db", names);
        Assert.True((int)(await end.ExecuteScalarAsync())! >= Pooled);
        await using var left = new NpgsqlCommand("SELECT COUNT(*)::int FROM pg_stat_activity WHERE datname = ANY(@db)", admin);
        left.Parameters.AddWithValue("db", names);
        for (var i = 0; (int)(await left.ExecuteScalarAsync())! > 0; i++)
        {
            Assert.True(i < 100, "The sessions did not end.");
            await Task.Delay(50);
        }
    }

    private static Task<HttpResponseMessage> Start(RunningServer server, string tenant) =>
        server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
}
