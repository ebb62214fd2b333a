using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Exchange;

/// <summary>The exchange's side of a call (P2, P4, P9): code → session, and call ended → data gone.</summary>
public sealed class CallIdentification(TenantDatabases databases, TimeProvider time, ContactNotifier notifier)
{
    public async Task<IdentifyResponse> IdentifyAsync(string tenant, string code, string callId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        var attempt = await db.CallAttempts.FirstOrDefaultAsync(a => a.CallId == callId, ct);
        if (attempt is { Failures: >= CallAttempt.Max })
        {
            return IdentifyResponse.Locked;
        }

        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Code == code, ct);
        if (session is null || session.CodeExpiresAt <= now)
        {
            var failures = await CountFailureAsync(db, callId, now, ct);
            return failures < CallAttempt.Max ? IdentifyResponse.WrongCode(CallAttempt.Max - failures) : IdentifyResponse.Locked;
        }

        // Swap the short code for a secret too strong to guess; the code is forgotten (single use). The code is part
        // of the condition, so of two calls racing with the same code only one wins.
        var secret = Secrets.NewId(32);
        var secretHash = Secrets.Hash(secret);
        var swapped = await db.Sessions
            .Where(s => s.Id == session.Id && s.Code == code)
            .ExecuteUpdateAsync(
                u => u.SetProperty(s => s.Code, (string?)null)
                    .SetProperty(s => s.CodeExpiresAt, (DateTimeOffset?)null)
                    .SetProperty(s => s.SecretHash, secretHash)
                    .SetProperty(s => s.CallId, callId)
                    .SetProperty(s => s.State, ContactState.Queued)
                    .SetProperty(s => s.LastActivityAt, now),
                ct);
        if (swapped == 0)
        {
            return IdentifyResponse.WrongCode(CallAttempt.Max - (attempt?.Failures ?? 0));
        }

        if (attempt is not null)
        {
            await db.CallAttempts.Where(a => a.CallId == callId).ExecuteDeleteAsync(ct);
        }

        await notifier.ChangedAsync(tenant);
        return IdentifyResponse.Matched(secret, session.Purpose);
    }

    /// <summary>Adds one wrong code to the call's count, atomically, and returns the new count.</summary>
    private static async Task<int> CountFailureAsync(DeskDbContext db, string callId, DateTimeOffset now, CancellationToken ct)
    {
        var counted = await db.CallAttempts.Where(a => a.CallId == callId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Failures, a => a.Failures + 1).SetProperty(a => a.LastAt, now), ct);
        if (counted == 0)
        {
            try
            {
                db.CallAttempts.Add(new CallAttempt { CallId = callId, Failures = 1, LastAt = now });
                await db.SaveChangesAsync(ct);
                return 1;
            }
            catch (DbUpdateException)
            {
                // Another request for the same call inserted first: count on its row.
                db.ChangeTracker.Clear();
                await db.CallAttempts.Where(a => a.CallId == callId)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.Failures, a => a.Failures + 1).SetProperty(a => a.LastAt, now), ct);
            }
        }

        return await db.CallAttempts.Where(a => a.CallId == callId).Select(a => a.Failures).FirstAsync(ct);
    }

    /// <summary>Deletes every session of the call, and the call's attempt counter.</summary>
    public async Task<int> EndedAsync(string tenant, string callId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var deleted = await db.Sessions.Where(s => s.CallId == callId).ExecuteDeleteAsync(ct);
        await db.CallAttempts.Where(a => a.CallId == callId).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            await notifier.ChangedAsync(tenant);
        }

        return deleted;
    }
}
