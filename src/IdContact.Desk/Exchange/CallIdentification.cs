using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Exchange;

/// <summary>The exchange's side of a call (P2, P4, P9): code → session, and call ended → data gone.</summary>
public sealed class CallIdentification(
    TenantDatabases databases,
    TimeProvider time,
    ContactNotifier notifier,
    IOptions<IdContactOptions> options,
    DeskMetrics metrics,
    ILogger<CallIdentification> logger)
{
    /// <summary>
    /// Checks a code against the limits of docs/exchange-api.md. A try is counted (per caller, then per call) before the
    /// code is looked at and given back when it was right, so parallel requests get no guesses beyond the limits.
    /// </summary>
    public async Task<IdentifyResponse> IdentifyAsync(string tenant, string code, string callId, string? caller, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var desk = options.Value.Tenants[tenant].Desk();
        var callerKey = WrongCodeCounter.CallerKey(caller);
        await using var db = databases.Open(tenant);
        var postgres = db.Database.IsNpgsql();
        var counted = postgres
            ? await WrongCodeCounter.TryAddCallerAndCallAsync(db, callerKey, desk.WrongCodesPerCallerPerHour, callId, now, ct)
            : await CountSeparatelyAsync(db, callerKey, desk.WrongCodesPerCallerPerHour, callId, now, ct);
        if (counted == WrongCodeCounter.Counted.CallerBlocked)
        {
            return IdentifyResponse.CallerBlocked;
        }

        if (counted == WrongCodeCounter.Counted.CallLocked)
        {
            await WrongCodeCounter.RefundAsync(db, callerKey, ct);
            return IdentifyResponse.Locked;
        }

        if (await SwapAsync(db, code, callId, callerKey, now, postgres, ct) is var (secret, purpose))
        {
            if (!postgres)
            {
                await WrongCodeCounter.ForgetMatchedAsync(db, callId, callerKey, ct);
            }

            await notifier.ChangedAsync(tenant);
            return IdentifyResponse.Matched(secret, purpose);
        }

        await CountTenantWideAsync(db, tenant, desk.WrongCodeAlertPerMinute, now, ct);
        // Read after counting, for attempts_left only; a call ended meanwhile has no row and no tries left.
        var failures = await db.CallAttempts.Where(a => a.CallId == callId).Select(a => (int?)a.Failures).FirstOrDefaultAsync(ct) ?? CallAttempt.Max;
        return failures < CallAttempt.Max ? IdentifyResponse.WrongCode(CallAttempt.Max - failures) : IdentifyResponse.Locked;
    }

    /// <summary>
    /// Swaps a live code for a secret too strong to guess; the code is forgotten (single use). Finding and swapping are
    /// one statement with the code in its condition, so of two calls racing with the same code only one wins. Null
    /// when no live session has this code (or this call lost the race).
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the same statement gives the call's tries and the caller's count back when it matched (what
    /// <see cref="WrongCodeCounter.ForgetMatchedAsync"/> does as a second round trip on SQLite): data-modifying WITH
    /// clauses are one statement, so all of it or none.
    /// </remarks>
    private static async Task<(string Secret, string Purpose)?> SwapAsync(
        DeskDbContext db, string code, string callId, string callerKey, DateTimeOffset now, bool forgetInSameStatement, CancellationToken ct)
    {
        var secret = Secrets.NewId(32);
        var secretHash = Secrets.Hash(secret);
        long at = now.UtcTicks;
        var queued = (int)ContactState.Queued;
        var purposes = forgetInSameStatement
            ? await db.Database.SqlQuery<string>(
                $"""
                WITH swapped AS (
                    UPDATE "Sessions" SET "Code" = NULL, "CodeExpiresAt" = NULL, "SecretHash" = {secretHash}, "CallId" = {callId},
                        "State" = {queued}, "LastActivityAt" = {at}
                    WHERE "Code" = {code} AND "CodeExpiresAt" > {at}
                    RETURNING "Purpose"),
                forget_call AS (
                    DELETE FROM "CallAttempts" WHERE "CallId" = {callId} AND EXISTS (SELECT 1 FROM swapped)),
                give_back AS (
                    UPDATE "WrongCodeWindows" SET "Count" = "Count" - 1
                    WHERE "Key" = {callerKey} AND "Count" > 0 AND EXISTS (SELECT 1 FROM swapped))
                SELECT "Purpose" AS "Value" FROM swapped
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<string>(
                $"""
                UPDATE "Sessions" SET "Code" = NULL, "CodeExpiresAt" = NULL, "SecretHash" = {secretHash}, "CallId" = {callId},
                    "State" = {queued}, "LastActivityAt" = {at}
                WHERE "Code" = {code} AND "CodeExpiresAt" > {at}
                RETURNING "Purpose" AS "Value"
                """).ToListAsync(ct);
        return purposes.Count == 1 ? (secret, purposes[0]) : null;
    }

    /// <summary>SQLite: the caller's count, then the call's try, one statement each.</summary>
    private static async Task<WrongCodeCounter.Counted> CountSeparatelyAsync(
        DeskDbContext db, string callerKey, int callerLimit, string callId, DateTimeOffset now, CancellationToken ct)
    {
        if (!await WrongCodeCounter.TryAddAsync(db, callerKey, WrongCodeCounter.CallerWindow, callerLimit, now, ct))
        {
            return WrongCodeCounter.Counted.CallerBlocked;
        }

        return await WrongCodeCounter.TryReserveCallAsync(db, callId, now, ct) ? WrongCodeCounter.Counted.Both : WrongCodeCounter.Counted.CallLocked;
    }

    /// <summary>Counts a wrong code tenant-wide; past the threshold one warning and one alert per window, counts only.</summary>
    private async Task CountTenantWideAsync(DeskDbContext db, string tenant, int threshold, DateTimeOffset now, CancellationToken ct)
    {
        metrics.WrongCode(tenant);
        await WrongCodeCounter.TryAddAsync(db, WrongCodeCounter.TenantKey, WrongCodeCounter.TenantWindow, int.MaxValue, now, ct);
        if (await WrongCodeCounter.TakeAlertAsync(db, threshold, ct))
        {
            metrics.Alert(tenant);
            logger.LogWarning("Tenant {Tenant}: more than {Threshold} wrong DTMF codes within a minute; codes may be being guessed", tenant, threshold);
        }
    }

    /// <summary>Deletes every session of the call, and the call's attempt counter.</summary>
    public async Task<int> EndedAsync(string tenant, string callId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var deleted = db.Database.IsNpgsql() ? await EndedOneStatementAsync(db, callId, ct) : await EndedInTransactionAsync(db, callId, ct);
        if (deleted > 0)
        {
            await notifier.ChangedAsync(tenant);
        }

        return deleted;
    }

    /// <summary>Both deletes in one statement, so one round trip and atomic without BEGIN and COMMIT; the count is the sessions'.</summary>
    private static async Task<int> EndedOneStatementAsync(DeskDbContext db, string callId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            WITH attempts AS (DELETE FROM "CallAttempts" WHERE "CallId" = {callId})
            DELETE FROM "Sessions" WHERE "CallId" = {callId}
            """,
            ct);

    /// <summary>SQLite has no DELETE in a WITH clause; its transaction costs no round trip (in process).</summary>
    private static async Task<int> EndedInTransactionAsync(DeskDbContext db, string callId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Sessions.Where(s => s.CallId == callId).ExecuteDeleteAsync(ct);
        await db.CallAttempts.Where(a => a.CallId == callId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted;
    }
}
