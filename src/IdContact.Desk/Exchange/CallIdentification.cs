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

        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Code == code, ct);
        if (session is null || session.CodeExpiresAt <= now)
        {
            attempt ??= db.CallAttempts.Add(new CallAttempt { CallId = callId }).Entity;
            attempt.Failures++;
            attempt.LastAt = now;
            await db.SaveChangesAsync(ct);
            var left = CallAttempt.Max - attempt.Failures;
            return left > 0 ? IdentifyResponse.WrongCode(left) : IdentifyResponse.Locked;
        }

        // Swap the short code for a secret too strong to guess; the code is forgotten (single use).
        var secret = Secrets.NewId(32);
        session.Code = null;
        session.CodeExpiresAt = null;
        session.SecretHash = Secrets.Hash(secret);
        session.CallId = callId;
        session.State = ContactState.Queued;
        session.LastActivityAt = now;
        if (attempt is not null)
        {
            db.CallAttempts.Remove(attempt);
        }

        await db.SaveChangesAsync(ct);
        await notifier.ChangedAsync(tenant);
        return IdentifyResponse.Matched(secret, session.Purpose);
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
