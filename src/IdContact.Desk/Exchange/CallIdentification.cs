using System.Globalization;
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
    WrongCodeAlarm alarm,
    IdentifierHashes hashes,
    ILogger<CallIdentification> logger)
{
    /// <summary>
    /// Checks a code against the limits of docs/exchange-api.md. A try is counted (per caller, then per call) before the
    /// code is looked at and given back when it was right, so parallel requests get no guesses beyond the limits.
    /// <paramref name="ct"/> stops it only before anything is counted: once counted, the check runs to its end.
    /// </summary>
    public async Task<IdentifyResponse> IdentifyAsync(string tenant, string code, string callId, string? caller, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var desk = options.Value.Tenants[tenant].Desk();
        var callerKey = await WrongCodeCounter.CallerKeyAsync(hashes, tenant, caller, ct);
        // Not the request's token from here on: a match stopped half-way by a dropped request (a proxy's timeout) would keep
        // the caller's try counted, though the code was right, and the exchange's retry of it is counted once more.
        ct = CancellationToken.None;
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
            // Fail safe: a failing give-back leaves the caller's try counted; the exchange still gets its answer.
            await WrongCodeCounter.RefundOrKeepAsync(db, callerKey, logger, ct);
            return IdentifyResponse.Locked;
        }

        var callCodeHash = CallCodeHash(callId, code);
        if (await MatchAsync(db, Swap(code, callId, callCodeHash, now), callId, forgetCall: true, callerKey, postgres, ct) is var (secret, purpose))
        {
            await notifier.ChangedAsync(tenant);
            return IdentifyResponse.Matched(secret, purpose);
        }

        // Not a live code. Before the try counts as wrong: is it this call's retry of its own match, whose answer was
        // lost (instance killed, proxy timeout)? Only this path pays the extra round trip, never a first match.
        if (await MatchAsync(db, Retry(callId, callCodeHash), callId, forgetCall: false, callerKey, postgres, ct) is var (again, retriedPurpose))
        {
            return IdentifyResponse.Matched(again, retriedPurpose);
        }

        await alarm.CountAsync(db, tenant, "DTMF", now, ct);
        // Read after counting, for attempts_left only; a call ended meanwhile has no row and no tries left.
        var failures = await db.CallAttempts.Where(a => a.CallId == callId).Select(a => (int?)a.Failures).FirstOrDefaultAsync(ct) ?? CallAttempt.Max;
        return failures < CallAttempt.Max ? IdentifyResponse.WrongCode(CallAttempt.Max - failures) : IdentifyResponse.Locked;
    }

    /// <summary>
    /// Binds a match to its call and its code: a retry must bring both, and the stored hash does not hold the code. The
    /// call id's length goes first, so no other (call id, code) pair gives the same text.
    /// </summary>
    private static string CallCodeHash(string callId, string code) =>
        Secrets.Hash(string.Create(CultureInfo.InvariantCulture, $"{callId.Length}:{callId}{code}"));

    /// <summary>
    /// Swaps a live code for a secret too strong to guess; the code is forgotten (single use), only its hash bound to the
    /// call is kept. Finding and swapping are one statement with the code in its condition, so of two calls racing with
    /// the same code only one wins. Only a Waiting session's code is a DTMF code: an agent's web code (Active, see
    /// Phone/WebCodes) shares the column, so the two never collide, but is never matched here. The call joins the queue now:
    /// its contact's time becomes the call's, as a chat's becomes the time the resident arrived (first come, first served).
    /// </summary>
    private static Func<string, FormattableString> Swap(string code, string callId, string callCodeHash, DateTimeOffset now)
    {
        long at = now.UtcTicks;
        int queued = (int)ContactState.Queued, waiting = (int)ContactState.Waiting;
        return secretHash => $"""
            UPDATE "Sessions" SET "Code" = NULL, "CodeExpiresAt" = NULL, "SecretHash" = {secretHash}, "CallId" = {callId},
                "CallCodeHash" = {callCodeHash}, "State" = {queued}, "CreatedAt" = {at}, "LastActivityAt" = {at}
            WHERE "Code" = {code} AND "CodeExpiresAt" > {at} AND "State" = {waiting}
            """;
    }

    /// <summary>
    /// The exchange's retry of a match: only the secret is replaced (the lost one was never received); state, agent and
    /// activity stay as they are. Parallel retries each get a new secret; the one written last is the one stored.
    /// </summary>
    private static Func<string, FormattableString> Retry(string callId, string callCodeHash) =>
        secretHash => $"""
            UPDATE "Sessions" SET "SecretHash" = {secretHash}
            WHERE "CallId" = {callId} AND "CallCodeHash" = {callCodeHash}
            """;

    /// <summary>
    /// Runs <paramref name="update"/> (a new secret's hash in, the sessions it matched out) and, when it matched, gives
    /// back what this request counted before its code was checked (<see cref="WrongCodeCounter.GiveBackAsync"/>). Null
    /// when nothing matched.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the give-back is in the same statement (on SQLite a second round trip): data-modifying WITH clauses
    /// are one statement, so all of it or none. SQLite's give-back comes after the swap was committed: if it fails, the
    /// counts stay spent (fail safe) and the match is still answered: the code is swapped already, and an error would only
    /// send the exchange into its retry.
    /// </remarks>
    private async Task<(string Secret, string Purpose)?> MatchAsync(
        DeskDbContext db, Func<string, FormattableString> update, string callId, bool forgetCall, string callerKey, bool giveBackInSameStatement, CancellationToken ct)
    {
        var secret = Secrets.NewId(32);
        var sessions = update(Secrets.Hash(secret));
        var purposes = giveBackInSameStatement
            ? await db.Database.SqlQuery<string>(SqlText.Concat(
                $"WITH matched AS (\n",
                sessions,
                $"\nRETURNING \"Purpose\"),\ncall AS (",
                WrongCodeCounter.GiveBackCall(callId, forgetCall),
                $" AND EXISTS (SELECT 1 FROM matched)),\ncaller AS (",
                WrongCodeCounter.GiveBackCaller(callerKey),
                $" AND EXISTS (SELECT 1 FROM matched))\nSELECT \"Purpose\" AS \"Value\" FROM matched")).ToListAsync(ct)
            : await db.Database.SqlQuery<string>(SqlText.Concat(sessions, $"\nRETURNING \"Purpose\" AS \"Value\"")).ToListAsync(ct);
        if (purposes.Count == 0)
        {
            return null;
        }

        if (!giveBackInSameStatement)
        {
            try
            {
                await WrongCodeCounter.GiveBackAsync(db, callId, forgetCall, callerKey, ct);
            }
            catch (Exception e) when (WrongCodeCounter.IsStoreFailure(e))
            {
                logger.LogWarning("A matched call's tries were not given back, they stay counted: the database failed ({Error})", e.GetType().Name);
            }
        }

        // A live code is unique, so a swap finds one session; a retry could find two only if the call matched the same
        // code twice (drawn again for a later session): each then holds the new secret's hash.
        return (secret, purposes[0]);
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
