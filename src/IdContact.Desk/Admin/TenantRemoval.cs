using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Npgsql;

namespace IdContact.Desk.Admin;

/// <summary>
/// What a municipality leaves behind once it is taken out of the configuration: its desk database (sessions, results,
/// agents, chats, appointments, the mail outbox, the audit and the counters' key). Retention sweeps only configured
/// municipalities, so without this the residents' data of a removed one would stay forever.
/// </summary>
public static class TenantRemoval
{
    /// <summary>What is left (when <paramref name="remove"/> is false) or what was removed; empty when nothing was left.</summary>
    public static async Task<(IReadOnlyList<string> Found, IReadOnlyList<string> Errors)> RunAsync(
        IdContactOptions options, string tenant, bool remove, CancellationToken ct = default)
    {
        if (!ConfigValidator.IsTag(tenant))
        {
            return ([], [$"'{tenant}' is no municipality tag: lower-case letters, digits and '-'."]);
        }

        if (options.Tenants.Keys.Any(t => t.Equals(tenant, StringComparison.OrdinalIgnoreCase)))
        {
            return ([], [$"Municipality '{tenant}' is still in this configuration: take it out of Tenants, restart every instance with that configuration, then run this again."]);
        }

        var desk = options.Desk();
        if (TenantDatabases.IsPostgres(desk) && TenantDatabases.DatabaseName(tenant) == desk.InstallationDatabase)
        {
            // An operator's own Desk:InstallationDatabase may look like a municipality's database: never drop it.
            return ([], [$"The database of '{tenant}' would be {desk.InstallationDatabase}, which is this installation's Desk:InstallationDatabase: it is not removed."]);
        }

        return TenantDatabases.IsPostgres(desk)
            ? await PostgresAsync(desk, TenantDatabases.DatabaseName(tenant), remove, ct)
            : (Sqlite(TenantDatabases.SqliteFile(options.DataDirectory, tenant), remove), []);
    }

    private static async Task<(IReadOnlyList<string>, IReadOnlyList<string>)> PostgresAsync(DeskOptions desk, string database, bool remove, CancellationToken ct)
    {
        // Connected to the installation database, which every installation has, never to the one being dropped.
        await using var connection = new NpgsqlConnection(TenantDatabases.PostgresConnectionString(desk.PostgresConnectionString!, desk.InstallationDatabase));
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                return ([], []);
            }
        }

        if (remove)
        {
            try
            {
                // The name is "idcontact_" and a checked tag, so quoting it is enough.
                await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\"", connection);
                await drop.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                return ([], [$"The database {database} is still in use: an instance still serves this municipality (or another client is connected); restart every instance without it, then run this again."]);
            }
        }

        return ([$"PostgreSQL database {database}"], []);
    }

    private static List<string> Sqlite(string database, bool remove)
    {
        // The database and what SQLite keeps beside it (write-ahead log, shared memory, rollback journal).
        var files = new[] { "", "-wal", "-shm", "-journal" }.Select(suffix => database + suffix).Where(File.Exists).ToList();
        if (remove)
        {
            files.ForEach(File.Delete);
        }

        return [.. files.Select(f => $"SQLite file {f}")];
    }
}
