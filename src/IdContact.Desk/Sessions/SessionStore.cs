using Microsoft.AspNetCore.Http;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Sessions;

/// <summary>Creating sessions and receiving their single auth result (M1–M3), per tenant database.</summary>
public sealed class SessionStore(
    TenantDatabases databases, DeskKeys keys, UsedResults usedResults, TimeProvider time, ContactNotifier notifier, DeskMetrics metrics, Agents.SubjectPseudonyms pseudonyms)
{
    // Compiled once: every result post and every resident page look a session up.
    private static readonly PerModel<Func<DeskDbContext, string, string, CancellationToken, Task<ResultSlot?>>> HasResult =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string id, string channel, CancellationToken ct) =>
            db.Sessions.Where(s => s.Id == id && s.Channel == channel).Select(s => new ResultSlot(s.ResultToken != null, s.State != ContactState.Waiting)).FirstOrDefault()));

    /// <summary>
    /// Whether a session holds a result, and whether an agent may have acted on it yet: only then can it have access
    /// records to file under the resident's pseudonym (a phone session gets its result while it still waits for the call).
    /// </summary>
    private sealed record ResultSlot(bool HasResult, bool MayHaveRecords);

    private static readonly PerModel<Func<DeskDbContext, string, CancellationToken, Task<ContactSession?>>> ById =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string id, CancellationToken ct) => db.Sessions.AsNoTracking().FirstOrDefault(s => s.Id == id)));

    /// <summary>Creates a session; a phone session gets a DTMF code unique among live sessions (P1).</summary>
    public async Task<ContactSession> CreateAsync(string tenant, string channel, string purpose, int codeLength, TimeSpan codeLifetime, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var session = new ContactSession
            {
                Id = Secrets.NewId(),
                Channel = channel,
                Purpose = purpose,
                State = ContactState.Waiting,
                CreatedAt = now,
                LastActivityAt = now,
                Code = channel == Channels.Phone ? Secrets.NewCode(codeLength) : null,
                CodeExpiresAt = channel == Channels.Phone ? now + codeLifetime : null,
            };
            if (await InsertAsync(db, session, ct))
            {
                metrics.SessionCreated(tenant, channel);
                return session;
            }

            // The code collided with a live one (unique index): draw another.
        }

        throw new InvalidOperationException("No free code after 20 draws: the code length is too short for the live sessions.");
    }

    /// <summary>
    /// One plain INSERT (same SQL on both providers, dates as UTC ticks like the model's converter): no change tracking
    /// on the hottest write, and a taken code is a row count, not an exception.
    /// </summary>
    private static async Task<bool> InsertAsync(DeskDbContext db, ContactSession s, CancellationToken ct)
    {
        long created = s.CreatedAt.UtcTicks, active = s.LastActivityAt.UtcTicks;
        long? codeExpires = s.CodeExpiresAt?.UtcTicks;
        var state = (int)s.State;
        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "Sessions" ("Id", "Channel", "Purpose", "State", "Code", "CodeExpiresAt", "CreatedAt", "LastActivityAt")
            VALUES ({s.Id}, {s.Channel}, {s.Purpose}, {state}, {s.Code}, {codeExpires}, {created}, {active})
            ON CONFLICT DO NOTHING
            """,
            ct) == 1;
    }

    /// <summary>
    /// Accepts the one result of a session (M2). The session is looked up before anything is decrypted, so a stranger
    /// cannot make the desk spend RSA work on made-up sessions; the result must then be valid and unused installation-wide.
    /// </summary>
    /// <param name="opened">The token already opened by the caller (start with auth_result), to avoid decrypting twice.</param>
    /// <param name="channel">The channel whose attr_url received it: a session of another channel is unknown there.</param>
    public async Task<(ResultOutcome Outcome, string? Reason)> AcceptResultAsync(
        string tenant, string channel, string sessionId, string? token, CancellationToken ct, TokenOpenResult? opened = null)
    {
        var result = await TakeResultAsync(tenant, channel, sessionId, token, opened, ct);
        metrics.Result(tenant, result.Outcome.ToString().ToLowerInvariant());
        return result;
    }

    /// <summary>
    /// A result sent with start_communication: the new session takes it, or is deleted and the refusal answered,
    /// so a bad result at start leaves no half-made session. Null when taken.
    /// </summary>
    public async Task<IResult?> AcceptAtStartAsync(
        string tenant, ContactSession session, string token, TokenOpenResult? opened, CancellationToken ct)
    {
        var (outcome, reason) = await AcceptResultAsync(tenant, session.Channel, session.Id, token, ct, opened);
        if (outcome == ResultOutcome.Accepted)
        {
            return null;
        }

        await DeleteAsync(tenant, session.Id, ct);
        return DeskRequest.ResultProblem(outcome, reason);
    }

    private async Task<(ResultOutcome Outcome, string? Reason)> TakeResultAsync(
        string tenant, string channel, string sessionId, string? token, TokenOpenResult? opened, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var slot = await HasResult.For(db)(db, sessionId, channel, ct);
        if (slot is null)
        {
            return (ResultOutcome.UnknownSession, null);
        }

        if (slot.HasResult)
        {
            return (ResultOutcome.AlreadyHasResult, null);
        }

        opened ??= keys.Open(tenant, token);
        if (!opened.IsValid)
        {
            return (ResultOutcome.Invalid, opened.Refusal);
        }

        // A proven identity is used once in the whole installation. A failed result proves nothing, and every failed
        // result issued in the same second is byte for byte the same signed content, so those are not claimed.
        var key = opened.Result.Status == AuthStatus.Success ? opened.ReplayKey! : null;
        if (key is not null && !await usedResults.TryClaimAsync(key, UsedResults.Holder(tenant, sessionId), opened.ExpiresAt.Value, ct))
        {
            return (ResultOutcome.Replayed, null);
        }

        var stored = token!.Trim();
        // The access log files this contact's records under the resident's BSN pseudonym (never the BSN).
        var subject = opened.Result.Status == AuthStatus.Success ? await pseudonyms.OfAttributesAsync(tenant, opened.Result.Attributes, ct) : null;
        var now = time.GetUtcNow().UtcTicks;
        // One statement decides: only a session still without a result takes this one (no race between two posts).
        var updated = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE "Sessions" SET "ResultToken" = {stored}, "ResultTokenHash" = {key}, "SubjectPseudonym" = {subject}, "LastActivityAt" = {now}
            WHERE "Id" = {sessionId} AND "ResultToken" IS NULL
            """,
            ct);
        if (updated == 0)
        {
            // A claim is given back unless this session holds the result: a racing retry of the same post stored it.
            if (key is not null && !await db.Sessions.AnyAsync(s => s.Id == sessionId && s.ResultKey == key, ct))
            {
                await usedResults.ReleaseAsync(key, ct);
            }

            return await db.Sessions.AnyAsync(s => s.Id == sessionId, ct)
                ? (ResultOutcome.AlreadyHasResult, null)
                : (ResultOutcome.UnknownSession, null);
        }

        if (subject is not null && slot.MayHaveRecords)
        {
            await Agents.SubjectPseudonyms.BackfillAsync(db, sessionId, subject, ct);
        }

        await notifier.ChangedAsync(tenant);
        return (ResultOutcome.Accepted, null);
    }

    public async Task<ContactSession?> FindAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await ById.For(db)(db, sessionId, ct);
    }

    /// <summary>
    /// Deletes a session and its token at once (P9), with the appointment a video start made beside it, in one
    /// transaction: a start whose result was refused leaves nothing behind.
    /// </summary>
    public async Task DeleteAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Appointments.Where(a => a.SessionId == sessionId).ExecuteDeleteAsync(ct);
        var deleted = await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        if (deleted > 0)
        {
            await notifier.ChangedAsync(tenant);
        }
    }
}
