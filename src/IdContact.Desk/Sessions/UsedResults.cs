using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Sessions;

/// <summary>Makes a result usable once in the whole installation, whichever tenant receives it (M2).</summary>
public sealed class UsedResults(TenantDatabases databases)
{
    /// <summary>
    /// False when the result was already used (by any tenant); the primary key decides, so two racing posts get one yes.
    /// The same holder may claim again: its earlier try stopped (a crash) before the session stored the result, and the
    /// session's own one-result rule still decides.
    /// </summary>
    public async Task<bool> TryClaimAsync(string key, string holder, DateTimeOffset expiresAt, CancellationToken ct)
    {
        long expires = expiresAt.UtcTicks;
        await using var db = databases.OpenInstallation();
        // A key already taken is an answer, not an error: no exception, no change tracking (same SQL on both providers).
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "UsedResults" ("Key", "Holder", "ExpiresAt") VALUES ({key}, {holder}, {expires})
            ON CONFLICT ("Key") DO NOTHING
            """,
            ct);
        return claimed > 0 || await db.UsedResults.AnyAsync(u => u.Key == key && u.Holder == holder, ct);
    }

    /// <summary>The claim holder of a session: a hash, so the installation database names no tenant or session.</summary>
    public static string Holder(string tenant, string sessionId) => Secrets.Hash(tenant.ToLowerInvariant() + "/" + sessionId);

    /// <summary>Gives a claim back when the session did not take the result after all (it ended or got another one).</summary>
    public async Task ReleaseAsync(string key, CancellationToken ct)
    {
        await using var db = databases.OpenInstallation();
        await db.UsedResults.Where(u => u.Key == key).ExecuteDeleteAsync(ct);
    }

    /// <summary>Forgets keys of tokens past their expiry: those are refused as expired anyway.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = databases.OpenInstallation();
        return await db.UsedResults.Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }
}
