using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>The count key of a caller number; only a hash is stored (the number is personal data).</summary>
    public static string CallerKey(string? caller)
    {
        var number = string.Concat((caller ?? "").Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        return "caller:" + Secrets.Hash(number.Length == 0 ? Anonymous : number);
    }

    /// <summary>Adds one to the key's count unless its window already holds <paramref name="limit"/>; true when counted.</summary>
    public static async Task<bool> TryAddAsync(DeskDbContext db, string key, TimeSpan window, int limit, DateTimeOffset now, CancellationToken ct)
    {
        var expired = now - window;
        for (var tries = 0; tries < 3; tries++)
        {
            var counted = await db.WrongCodeWindows
                .Where(w => w.Key == key && (w.WindowStart <= expired || w.Count < limit))
                .ExecuteUpdateAsync(
                    u => u.SetProperty(w => w.Count, w => w.WindowStart <= expired ? 1 : w.Count + 1)
                        .SetProperty(w => w.Alerted, w => w.WindowStart <= expired ? false : w.Alerted)
                        .SetProperty(w => w.WindowStart, w => w.WindowStart <= expired ? now : w.WindowStart),
                    ct);
            if (counted > 0)
            {
                return true;
            }

            if (await db.WrongCodeWindows.AnyAsync(w => w.Key == key, ct))
            {
                // The row may have been inserted by a parallel request just after our update looked: count on it
                // once more before calling the budget spent.
                if (tries > 0)
                {
                    return false;
                }

                continue;
            }

            try
            {
                db.WrongCodeWindows.Add(new WrongCodeWindow { Key = key, WindowStart = now, Count = 1 });
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another request inserted the row first: count on it with the conditional update.
                db.ChangeTracker.Clear();
            }
        }

        return false;
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
        for (var tries = 0; tries < 3; tries++)
        {
            var reserved = await db.CallAttempts.Where(a => a.CallId == callId && a.Failures < CallAttempt.Max)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Failures, a => a.Failures + 1).SetProperty(a => a.LastAt, now), ct);
            if (reserved > 0)
            {
                return true;
            }

            if (await db.CallAttempts.AnyAsync(a => a.CallId == callId, ct))
            {
                return false;
            }

            try
            {
                db.CallAttempts.Add(new CallAttempt { CallId = callId, Failures = 1, LastAt = now });
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }

        return false;
    }
}
