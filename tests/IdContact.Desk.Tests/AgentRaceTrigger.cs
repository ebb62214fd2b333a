using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Plays one side of the race between an agent's take and their account's deletion (or between two posts of one
/// planning form, <see cref="PlannedMidPlanAsync"/>) inside the other side's statement, so the interleaving is certain
/// rather than timed: <see cref="DeletedMidTakeAsync"/> deletes the account in the very
/// write that gives it a contact (the deletion got there first), <see cref="TakenMidDeletionAsync"/> gives the account
/// a contact in the very statement that deletes it (after the hand-back read what it held).
/// </summary>
public sealed class AgentRaceTrigger : IAsyncDisposable
{
    private readonly DeskDbContext _db;
    private readonly string[] _drops;

    private AgentRaceTrigger(DeskDbContext db, string[] drops) => (_db, _drops) = (db, drops);

    /// <summary>Any write of <paramref name="agentId"/> into Sessions or Appointments first deletes that account.</summary>
    public static Task<AgentRaceTrigger> DeletedMidTakeAsync(TenantDatabases databases, string tenant, string agentId)
    {
        var db = databases.Open(tenant);
        const string Delete = "DELETE FROM \"AspNetUsers\" WHERE \"Id\" = NEW.\"AgentId\"";
        var tables = new[] { "Sessions", "Appointments" };
        // The ids are generated; the statements are the test's own.
        return db.Database.IsSqlite()
            ? CreateAsync(db, tables.SelectMany(t => new[] { "INSERT", "UPDATE" }.Select(op => (
                $"CREATE TRIGGER race_{t}_{op} BEFORE {op} ON \"{t}\" WHEN NEW.\"AgentId\" = '{agentId}' BEGIN {Delete}; END",
                $"DROP TRIGGER race_{t}_{op}"))))
            : CreateAsync(db, new[]
            {
                ($"CREATE FUNCTION race_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"AgentId\" = '{agentId}' THEN {Delete}; END IF; RETURN NEW; END $$",
                    "DROP FUNCTION race_delete()"),
            }.Concat(tables.Select(t => ($"CREATE TRIGGER race_{t} BEFORE INSERT OR UPDATE ON \"{t}\" FOR EACH ROW EXECUTE FUNCTION race_delete()", $"DROP TRIGGER race_{t} ON \"{t}\""))));
    }

    /// <summary>Deleting <paramref name="agentId"/>'s account first makes them take the queued session <paramref name="sessionId"/>.</summary>
    public static Task<AgentRaceTrigger> TakenMidDeletionAsync(TenantDatabases databases, string tenant, string agentId, string sessionId)
    {
        var db = databases.Open(tenant);
        var take = $"UPDATE \"Sessions\" SET \"State\" = 2, \"AgentId\" = OLD.\"Id\" WHERE \"Id\" = '{sessionId}' AND \"State\" = 1";
        return db.Database.IsSqlite()
            ? CreateAsync(db, [($"CREATE TRIGGER race_take BEFORE DELETE ON \"AspNetUsers\" WHEN OLD.\"Id\" = '{agentId}' BEGIN {take}; END", "DROP TRIGGER race_take")])
            : CreateAsync(db, [
                ($"CREATE FUNCTION race_take() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD.\"Id\" = '{agentId}' THEN {take}; END IF; RETURN OLD; END $$", "DROP FUNCTION race_take()"),
                ("CREATE TRIGGER race_take BEFORE DELETE ON \"AspNetUsers\" FOR EACH ROW EXECUTE FUNCTION race_take()", "DROP TRIGGER race_take ON \"AspNetUsers\""),
            ]);
    }

    /// <summary>
    /// A new video session (a plan's first write, after its check) first gives planning form <paramref name="planKey"/>
    /// to appointment <paramref name="winnerId"/>: the same form, posted on another instance, planned between this post's
    /// check and its save. A statement of its own, so the save's unique violation does not undo it.
    /// </summary>
    public static Task<AgentRaceTrigger> PlannedMidPlanAsync(TenantDatabases databases, string tenant, string planKey, string winnerId)
    {
        var db = databases.Open(tenant);
        var plan = $"UPDATE \"Appointments\" SET \"PlanKey\" = '{planKey}' WHERE \"Id\" = '{winnerId}'";
        return db.Database.IsSqlite()
            ? CreateAsync(db, [($"CREATE TRIGGER race_plan AFTER INSERT ON \"Sessions\" WHEN NEW.\"Channel\" = '{Channels.Video}' BEGIN {plan}; END", "DROP TRIGGER race_plan")])
            : CreateAsync(db, [
                ($"CREATE FUNCTION race_plan() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"Channel\" = '{Channels.Video}' THEN {plan}; END IF; RETURN NEW; END $$", "DROP FUNCTION race_plan()"),
                ("CREATE TRIGGER race_plan AFTER INSERT ON \"Sessions\" FOR EACH ROW EXECUTE FUNCTION race_plan()", "DROP TRIGGER race_plan ON \"Sessions\""),
            ]);
    }

    private static async Task<AgentRaceTrigger> CreateAsync(DeskDbContext db, IEnumerable<(string Create, string Drop)> statements)
    {
        var list = statements.ToList();
        foreach (var (create, _) in list)
        {
            await db.Database.ExecuteSqlRawAsync(create);
        }

        // Dropped in reverse: PostgreSQL's triggers before their function.
        return new AgentRaceTrigger(db, list.Select(s => s.Drop).Reverse().ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var drop in _drops)
        {
            await _db.Database.ExecuteSqlRawAsync(drop);
        }

        await _db.DisposeAsync();
    }
}
