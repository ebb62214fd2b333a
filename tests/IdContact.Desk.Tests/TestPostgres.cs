using IdContact.Desk.Tenants;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// The PostgreSQL databases of one test installation (one server, or the instances of a scale-out, which share them): an
/// installation database of its own (Desk:InstallationDatabase), so no other test's retention sweep, run with a clock
/// days ahead, forgets the claims this one counts; and every database it names dropped when disposed.
/// </summary>
public sealed class TestPostgres(params string[] tenants) : IAsyncDisposable
{
    public static string ConnectionString => Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    /// <summary>The value of Desk:InstallationDatabase for every server of this installation.</summary>
    public string InstallationDatabase { get; } = DeskOptions.DefaultInstallationDatabase + "_" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The installation database's connection string, to read what the servers wrote.</summary>
    public string InstallationConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = InstallationDatabase }.ConnectionString;

    /// <summary>Drops the installation's and the tenants' databases; the servers must be stopped first.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var database in tenants.Select(TenantDatabases.DatabaseName).Prepend(InstallationDatabase))
        {
            await DropAsync(database);
        }
    }

    /// <summary>
    /// DROP DATABASE … WITH (FORCE), which ends our own connections to it. It refuses (42501) while an autovacuum worker,
    /// a process of no role of ours, is in the database; DROP without FORCE would wait for that one, so ask again.
    /// </summary>
    public static async Task DropAsync(string database)
    {
        await using var server = new NpgsqlConnection(ConnectionString + ";Database=postgres");
        await server.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", server);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
