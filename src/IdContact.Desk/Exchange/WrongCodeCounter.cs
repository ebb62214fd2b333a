using System.Data.Common;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Exchange;

/// <summary>
/// Atomic wrong-code counts in the tenant's database, so every desk instance sees the same counts. Each count is one
/// conditional UPDATE (count &lt; limit), so parallel requests cannot slip past a limit between a check and a write.
/// </summary>
public static class WrongCodeCounter
{
    public static readonly TimeSpan CallerWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan TenantWindow = TimeSpan.FromMinutes(1);
    public const string TenantKey = "tenant";

    /// <summary>Withheld, missing and blank numbers are one caller: hiding the number must not give fresh guesses.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The count key of a caller number; only a keyed hash is stored (the number is personal data, and few).</summary>
    public static async Task<string> CallerKeyAsync(IdentifierHashes hashes, string tenant, string? caller, CancellationToken ct)
    {
        var number = string.Concat((caller ?? "").Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        return "caller:" + await hashes.HashAsync(tenant, "caller", number.Length == 0 ? Anonymous : number, ct);
    }

    /// <summary>Adds one to the key's count unless its window already holds <paramref name="limit"/>; true when counted.</summary>
    /// <remarks>
    /// One statement (an upsert whose update is conditional), so a first count costs one round trip, not an update, a
    /// look and an insert, and the database decides between parallel requests. Same SQL on PostgreSQL and SQLite.
    /// </remarks>
    public static async Task<bool> TryAddAsync(DeskDbContext db, string key, TimeSpan window, int limit, DateTimeOffset now, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(AddToWindow(key, window, limit, now), ct) > 0;

    /// <summary>
    /// The window rule, the one place it is written: a key's first count or one in an expired window starts a new window
    /// at 1 (alert cleared); otherwise the count grows only while it is below <paramref name="limit"/> (no row changes when full).
    /// </summary>
    private static FormattableString AddToWindow(string key, TimeSpan window, int limit, DateTimeOffset now)
    {
        long start = now.UtcTicks, expired = (now - window).UtcTicks;
        return $"""
            INSERT INTO "WrongCodeWindows" ("Key", "WindowStart", "Count", "Alerted") VALUES ({key}, {start}, 1, {false})
            ON CONFLICT ("Key") DO UPDATE SET
                "Count" = CASE WHEN "WrongCodeWindows"."WindowStart" <= {expired} THEN 1 ELSE "WrongCodeWindows"."Count" + 1 END,
                "Alerted" = CASE WHEN "WrongCodeWindows"."WindowStart" <= {expired} THEN {false} ELSE "WrongCodeWindows"."Alerted" END,
                "WindowStart" = CASE WHEN "WrongCodeWindows"."WindowStart" <= {expired} THEN {start} ELSE "WrongCodeWindows"."WindowStart" END
            WHERE "WrongCodeWindows"."WindowStart" <= {expired} OR "WrongCodeWindows"."Count" < {limit}
            """;
    }

    /// <summary>What <see cref="TryAddCallerAndCallAsync"/> counted.</summary>
    public enum Counted
    {
        /// <summary>The caller's window is full: nothing counted.</summary>
        CallerBlocked,

        /// <summary>The caller's count was added, but the call has no try left (give the caller's back).</summary>
        CallLocked,

        /// <summary>One caller count and one of the call's tries.</summary>
        Both,
    }

    /// <summary>
    /// PostgreSQL: the caller's count and then the call's try in one statement (one round trip), with the same
    /// conditions as <see cref="TryAddAsync"/> and <see cref="TryReserveCallAsync"/> one after the other: the call's
    /// try is only taken when the caller's count was added (its WITH clause reads the first one's RETURNING).
    /// </summary>
    public static async Task<Counted> TryAddCallerAndCallAsync(
        DeskDbContext db, string callerKey, int callerLimit, string callId, DateTimeOffset now, CancellationToken ct)
    {
        var counted = await db.Database.SqlQuery<int>(SqlText.Concat(
            $"WITH caller AS (\n",
            AddToWindow(callerKey, CallerWindow, callerLimit, now),
            $"\nRETURNING 1),\ncall AS (\n",
            ReserveCall(callId, now, $"EXISTS (SELECT 1 FROM caller)"),
            $"""

            RETURNING 1)
            SELECT ((SELECT count(*) FROM caller) + (SELECT count(*) FROM call))::int AS "Value"
            """)).ToListAsync(ct); // not composed (no SingleAsync): a data-modifying WITH must stay at the top level
        return counted[0] switch
        {
            0 => Counted.CallerBlocked,
            1 => Counted.CallLocked,
            _ => Counted.Both,
        };
    }

    /// <summary>Takes back a count added before the code was checked, when it turned out right or was not checked.</summary>
    public static Task RefundAsync(DeskDbContext db, string key, CancellationToken ct) =>
        db.WrongCodeWindows.Where(w => w.Key == key && w.Count > 0)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.Count, w => w.Count - 1), ct);

    /// <summary>A failure of the database, as a fail-safe give-back expects one: the count then simply stays spent.</summary>
    public static bool IsStoreFailure(Exception e) => e is DbException || StoreUnavailable.IsUnavailable(e);

    /// <summary>
    /// <see cref="RefundAsync"/> after a right sign-in or code (or a locked call's try), which a failing database must not turn into an error: the
    /// attempt then stays spent (fail safe), a warning says so (no key, no name), and the request goes on.
    /// </summary>
    public static async Task RefundOrKeepAsync(DeskDbContext db, string key, ILogger logger, CancellationToken ct)
    {
        try
        {
            await RefundAsync(db, key, ct);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            logger.LogWarning("A counted attempt was not given back, it stays counted: the database failed ({Error})", e.GetType().Name);
        }
    }

    /// <summary>How long until the key's window ends, at least a second (for Retry-After); no window counts from now.</summary>
    public static async Task<TimeSpan> WindowLeftAsync(DeskDbContext db, string key, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        var start = await db.WrongCodeWindows.Where(w => w.Key == key).Select(w => (DateTimeOffset?)w.WindowStart).FirstOrDefaultAsync(ct);
        var left = (start ?? now) + window - now;
        return left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>True for exactly one request once the tenant's window holds more than <paramref name="threshold"/>.</summary>
    public static async Task<bool> TakeAlertAsync(DeskDbContext db, int threshold, CancellationToken ct) =>
        await db.WrongCodeWindows.Where(w => w.Key == TenantKey && w.Count > threshold && !w.Alerted)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.Alerted, true), ct) > 0;

    /// <summary>Reserves one of the call's <see cref="CallAttempt.Max"/> tries before its code is checked; false when none is left.</summary>
    public static async Task<bool> TryReserveCallAsync(DeskDbContext db, string callId, DateTimeOffset now, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(ReserveCall(callId, now, $"TRUE"), ct) > 0;

    /// <summary>
    /// The call's try, the one place it is written: the call's first try starts at 1, later ones add one while fewer than
    /// <see cref="CallAttempt.Max"/> failed (no row changes when none is left); only when <paramref name="when"/> holds.
    /// </summary>
    /// <remarks>INSERT … SELECT … WHERE, never VALUES: SQLite needs the WHERE before ON CONFLICT to parse it.</remarks>
    private static FormattableString ReserveCall(string callId, DateTimeOffset now, FormattableString when)
    {
        var at = now.UtcTicks;
        return SqlText.Concat(
            $"""INSERT INTO "CallAttempts" ("CallId", "Failures", "LastAt") SELECT {callId}, 1, {at} WHERE """,
            when,
            $"""

            ON CONFLICT ("CallId") DO UPDATE SET "Failures" = "CallAttempts"."Failures" + 1, "LastAt" = {at}
            WHERE "CallAttempts"."Failures" < {CallAttempt.Max}
            """);
    }

    /// <summary>
    /// After a right code, what its request counted is given back, in one round trip: the caller's count, and on the call
    /// either all its tries (<paramref name="forgetCall"/>: a first match, the call is identified) or only the one try this
    /// request took (a retry of that match, so the call's count is as before it).
    /// </summary>
    public static Task GiveBackAsync(DeskDbContext db, string callId, bool forgetCall, string callerKey, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(SqlText.Concat(GiveBackCall(callId, forgetCall), $";\n", GiveBackCaller(callerKey)), ct);

    /// <summary>The call's part of <see cref="GiveBackAsync"/>; ends in its WHERE, so a caller may add a condition.</summary>
    public static FormattableString GiveBackCall(string callId, bool forget) => forget
        ? (FormattableString)$"""DELETE FROM "CallAttempts" WHERE "CallId" = {callId}"""
        : $"""UPDATE "CallAttempts" SET "Failures" = "Failures" - 1 WHERE "CallId" = {callId} AND "Failures" > 0""";

    /// <summary>The caller's part of <see cref="GiveBackAsync"/>; ends in its WHERE, so a caller may add a condition.</summary>
    public static FormattableString GiveBackCaller(string callerKey) =>
        $"""UPDATE "WrongCodeWindows" SET "Count" = "Count" - 1 WHERE "Key" = {callerKey} AND "Count" > 0""";
}
