using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Makes a tenant's database refuse new rows of one table where a column has one value (or other writes, see
/// <see cref="OnAsync"/>), as a full disk would: a
/// failure that is no unique-index race. Not a transient error: EF Core on PostgreSQL reports those apart (its
/// execution strategy); SQLite's busy and locked errors come wrapped like this one.
/// </summary>
public sealed class RefusingTrigger : IAsyncDisposable
{
    private readonly DeskDbContext _db;
    private readonly string _table;

    private RefusingTrigger(DeskDbContext db, string table) => (_db, _table) = (db, table);

    public static Task<RefusingTrigger> CreateAsync(TenantDatabases databases, string tenant, string table, string column, string value) =>
        OnAsync(databases, tenant, table, "INSERT", $"NEW.\"{column}\" = '{value}'");

    /// <summary>
    /// Refuses the table's <paramref name="operation"/> (INSERT or UPDATE) of the rows where <paramref name="when"/> (SQL over NEW and OLD) holds.
    /// On PostgreSQL with <paramref name="postgresError"/> as its SQLSTATE: 53100 (disk_full) is a store that cannot serve, a 503.
    /// </summary>
    public static async Task<RefusingTrigger> OnAsync(TenantDatabases databases, string tenant, string table, string operation, string when, string postgresError = "P0001")
    {
        var trigger = new RefusingTrigger(databases.Open(tenant), table);
        // Names and conditions come from the test; the values in them are generated ids.
        var statements = trigger._db.Database.IsSqlite()
            ? [$"CREATE TRIGGER refuse_rows BEFORE {operation} ON \"{table}\" WHEN {when} BEGIN SELECT RAISE(ABORT, 'refused'); END"]
            : new[]
            {
                $"CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {when} THEN RAISE EXCEPTION 'refused' USING ERRCODE = '{postgresError}'; END IF; RETURN NEW; END $$",
                $"CREATE TRIGGER refuse_rows BEFORE {operation} ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION refuse_rows()",
            };
        foreach (var statement in statements)
        {
            await trigger._db.Database.ExecuteSqlRawAsync(statement);
        }

        return trigger;
    }

    /// <summary>Refuses giving back a counted attempt of <paramref name="key"/> (<c>WrongCodeCounter.RefundAsync</c>): its count may not go down.</summary>
    public static Task<RefusingTrigger> RefundsOfAsync(TenantDatabases databases, string tenant, string key) =>
        OnAsync(databases, tenant, "WrongCodeWindows", "UPDATE", $"NEW.\"Key\" = '{key}' AND NEW.\"Count\" < OLD.\"Count\"");

    /// <summary>The database takes the rows again.</summary>
    public async ValueTask DisposeAsync()
    {
        var statements = _db.Database.IsSqlite()
            ? ["DROP TRIGGER refuse_rows"]
            : new[] { $"DROP TRIGGER refuse_rows ON \"{_table}\"", "DROP FUNCTION refuse_rows()" };
        foreach (var statement in statements)
        {
            await _db.Database.ExecuteSqlRawAsync(statement);
        }

        await _db.DisposeAsync();
    }
}
