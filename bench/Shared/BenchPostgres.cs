using IdContact.Desk.Tenants;
using Npgsql;

namespace IdContact.Bench;

/// <summary>
/// A bench's own PostgreSQL databases: a tenant database and an installation database named for the run (so no other
/// program's work is counted), the transactions committed in them, and their removal at the end. Shared by the benches.
/// </summary>
public sealed class BenchPostgres
{
    private BenchPostgres(string connectionString, string tenant)
    {
        ConnectionString = connectionString;
        Databases = [TenantDatabases.DatabaseName(tenant), InstallationDatabase(tenant)];
    }

    /// <summary>The server's connection string, without a database (the desk adds one per tenant).</summary>
    public string ConnectionString { get; }

    /// <summary>The tenant's database and the installation database: what CPU and transactions are counted for.</summary>
    public IReadOnlyList<string> Databases { get; }

    /// <summary>The installation database (used results) of a bench's tenant: its own, not the shared one.</summary>
    public static string InstallationDatabase(string tenant) => "idcontact__installation_" + tenant;

    /// <summary>The test server (scripts/test-services.sh), or null with the reason printed when it does not answer.</summary>
    /// <param name="socket">A Unix socket's directory instead of the configured host (then without TLS), or null.</param>
    public static async Task<BenchPostgres?> ConnectAsync(string tenant, bool tls, string? socket = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=idcontact;Password=idcontact-test")
        {
            SslMode = tls && socket is null ? SslMode.Require : SslMode.Disable,
        };
        if (socket is not null)
        {
            builder.Host = socket;
        }

        var connection = builder.ConnectionString;
        try
        {
            await using var probe = new NpgsqlConnection(connection + ";Database=postgres");
            await probe.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            Console.WriteLine($"PostgreSQL not reachable ({e.Message}); skipped. Start it with: bash scripts/test-services.sh");
            return null;
        }

        return new BenchPostgres(connection, tenant);
    }

    /// <summary>
    /// Transactions committed or rolled back so far in the bench's databases (pg_stat_database): outside an explicit
    /// transaction each statement is one, so per operation this counts the round trips that did work, a figure no
    /// other load on the machine moves.
    /// </summary>
    public async Task<long> TransactionsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_stat_force_next_flush(); SELECT sum(xact_commit + xact_rollback)::bigint FROM pg_stat_database WHERE datname = ANY(@names)", connection);
        command.Parameters.AddWithValue("names", Databases.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    /// <summary>Drops the bench's databases (after the server stopped); the pools' idle connections are closed first.</summary>
    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString + ";Database=postgres");
        await connection.OpenAsync();
        foreach (var database in Databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
