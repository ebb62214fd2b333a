using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Makes a tenant's database refuse new rows of one table where a column has one value, as a full disk would: a
/// failure that is no unique-index race. Not a transient error: EF Core on PostgreSQL reports those apart (its
/// execution strategy); SQLite's busy and locked errors come wrapped like this one.
/// </summary>
public sealed class RefusingTrigger : IAsyncDisposable
{
    private readonly DeskDbContext _db;
    private readonly string _table;

    private RefusingTrigger(DeskDbContext db, string table) => (_db, _table) = (db, table);

    public static async Task<RefusingTrigger> CreateAsync(TenantDatabases databases, string tenant, string table, string column, string value)
    {
        var trigger = new RefusingTrigger(databases.Open(tenant), table);
        // Names come from the test; the value is a generated id.
        var statements = trigger._db.Database.IsSqlite()
            ? [$"CREATE TRIGGER refuse_rows BEFORE INSERT ON \"{table}\" WHEN NEW.\"{column}\" = '{value}' BEGIN SELECT RAISE(ABORT, 'refused'); END"]
            : new[]
            {
                $"CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"{column}\" = '{value}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$",
                $"CREATE TRIGGER refuse_rows BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION refuse_rows()",
            };
        foreach (var statement in statements)
        {
            await trigger._db.Database.ExecuteSqlRawAsync(statement);
        }

        return trigger;
    }

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
