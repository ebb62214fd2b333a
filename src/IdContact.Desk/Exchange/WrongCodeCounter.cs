using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Exchange;

/// <summary>
/// Atomic wrong-code counts in the tenant's database, so every desk instance sees the same counts. Each count is one
/// conditional UPDATE (count &lt; limit), so parallel requests cannot slip past a limit between a check and a write.
/// </summary>
public static partial class WrongCodeCounter
{
    public static readonly TimeSpan CallerWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan TenantWindow = TimeSpan.FromMinutes(1);
    public const string TenantKey = "tenant";

    /// <summary>Withheld, missing and blank numbers are one caller: hiding the number must not give fresh guesses.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The count key of a caller number; only a hash is stored (the number is personal data).</summary>
    public static string CallerKey(string? caller)
    {
        var number = string.Concat((caller ?? "").Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        return "caller:" + Secrets.Hash(number.Length == 0 ? Anonymous : number);
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
        var start = now.UtcTicks;
        var counted = await db.Database.SqlQuery<int>(Concat(
            $"WITH caller AS (\n",
            AddToWindow(callerKey, CallerWindow, callerLimit, now),
            $"""

            RETURNING 1),
            call AS (
                INSERT INTO "CallAttempts" ("CallId", "Failures", "LastAt") SELECT {callId}, 1, {start} WHERE EXISTS (SELECT 1 FROM caller)
                ON CONFLICT ("CallId") DO UPDATE SET "Failures" = "CallAttempts"."Failures" + 1, "LastAt" = {start}
                WHERE "CallAttempts"."Failures" < {CallAttempt.Max}
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

    /// <summary>True for exactly one request once the tenant's window holds more than <paramref name="threshold"/>.</summary>
    public static async Task<bool> TakeAlertAsync(DeskDbContext db, int threshold, CancellationToken ct) =>
        await db.WrongCodeWindows.Where(w => w.Key == TenantKey && w.Count > threshold && !w.Alerted)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.Alerted, true), ct) > 0;

    /// <summary>Reserves one of the call's <see cref="CallAttempt.Max"/> tries before its code is checked; false when none is left.</summary>
    public static async Task<bool> TryReserveCallAsync(DeskDbContext db, string callId, DateTimeOffset now, CancellationToken ct)
    {
        var at = now.UtcTicks;
        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "CallAttempts" ("CallId", "Failures", "LastAt") VALUES ({callId}, 1, {at})
            ON CONFLICT ("CallId") DO UPDATE SET "Failures" = "CallAttempts"."Failures" + 1, "LastAt" = {at}
            WHERE "CallAttempts"."Failures" < {CallAttempt.Max}
            """,
            ct) > 0;
    }

    /// <summary>After a right code: the call's tries and the caller's count are given back, in one round trip.</summary>
    public static Task ForgetMatchedAsync(DeskDbContext db, string callId, string callerKey, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(
            $"""
            DELETE FROM "CallAttempts" WHERE "CallId" = {callId};
            UPDATE "WrongCodeWindows" SET "Count" = "Count" - 1 WHERE "Key" = {callerKey} AND "Count" > 0
            """,
            ct);

    /// <summary>
    /// Joins SQL fragments into one statement; each fragment's values stay parameters, numbered on after the previous
    /// fragment's (EF Core would send a nested FormattableString as one parameter, not as SQL).
    /// </summary>
    private static FormattableString Concat(params FormattableString[] parts)
    {
        var format = new StringBuilder();
        var arguments = new List<object?>();
        foreach (var part in parts)
        {
            var offset = arguments.Count;
            format.Append(Placeholder().Replace(part.Format, m => m.Groups[1].Success ? $"{{{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + offset}{m.Groups[2].Value}}}" : m.Value));
            arguments.AddRange(part.GetArguments());
        }

        return FormattableStringFactory.Create(format.ToString(), [.. arguments]);
    }

    /// <summary>A composite-format placeholder {index[,alignment][:format]}, or an escaped brace left as it is.</summary>
    [GeneratedRegex(@"\{\{|\}\}|\{(\d+)([^}]*)\}")]
    private static partial Regex Placeholder();
}
