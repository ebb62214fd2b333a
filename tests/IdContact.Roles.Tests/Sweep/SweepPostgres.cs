using IdContact.Desk;
using IdContact.Desk.Tenants;
using Npgsql;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>
/// The embedded demo's desk on the test PostgreSQL: its municipalities' databases (the demo's fixed idcontact_arnhem and
/// idcontact_utrecht) made here and marked as the sweep's, an installation database of its own, all dropped afterwards.
/// A database of those names that the sweep did not make (a developer's demo) is left alone and fails the run.
/// </summary>
public sealed class SweepPostgres : IAsyncDisposable
{
    private const string Mark = "IdContact bad-input sweep: scratch";

    private readonly string _installation = DeskOptions.DefaultInstallationDatabase + "_sweep_" + Guid.NewGuid().ToString("N")[..10];

    private static string Server => Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    private static IEnumerable<string> Tenants => new[] { Sweeper.TenantA, Sweeper.TenantB }.Select(TenantDatabases.DatabaseName);

    /// <summary>The server's arguments that put its desk on these databases.</summary>
    public string[] Arguments =>
    [
        "--Desk:DatabaseProvider", "Postgres", "--Desk:PostgresConnectionString", Server, "--Desk:InstallationDatabase", _installation,
    ];

    public static async Task<SweepPostgres> CreateAsync()
    {
        await using var connection = await OpenAsync();
        foreach (var database in Tenants)
        {
            await using var find = new NpgsqlCommand(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = @name", connection);
            find.Parameters.AddWithValue("name", database);
            var found = await find.ExecuteScalarAsync();
            if (found is not null)
            {
                // Left by a sweep that did not get to clean up; anything else is not ours to drop.
                Assert.True(found is string mark && mark == Mark, $"PostgreSQL already has a database {database} that the sweep did not make; drop it to run the sweep");
                await DropAsync(connection, database);
            }

            await ExecuteAsync(connection, $"CREATE DATABASE {database}");
            await ExecuteAsync(connection, $"COMMENT ON DATABASE {database} IS '{Mark}'");
        }

        return new SweepPostgres();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenAsync();
        foreach (var database in Tenants.Append(_installation))
        {
            await DropAsync(connection, database);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>FORCE ends our own connections; an autovacuum worker in the database refuses it for a moment (42501): ask again.</summary>
    private static async Task DropAsync(NpgsqlConnection connection, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
