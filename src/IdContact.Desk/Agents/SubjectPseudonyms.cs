using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Agents;

/// <summary>
/// The keyed pseudonym of a resident's BSN that the access log files records under, so the data protection officer can
/// answer "who saw my data?" (AVG art. 15) after the sessions are gone, without the log holding a BSN. HMAC-SHA256
/// under the municipality's own key (<see cref="PseudonymKey"/>): BSNs are about 10^9 values, so an unkeyed hash, or a
/// key readable from the same database, is reversed by trying them all; this key opens only with the data-protection key
/// ring, which lives outside the database (docs/security.md). Made on first need and kept for good: every record of one
/// resident, however old, carries the same pseudonym. Another tenant's key differs, so its pseudonyms never match.
/// </summary>
public sealed class SubjectPseudonyms(IDataProtectionProvider provider, TenantDatabases databases, TimeProvider time, ILogger<SubjectPseudonyms> logger)
{
    /// <summary>Lowercase hex of HMAC-SHA256.</summary>
    public const int Length = 64;

    private const string Purpose = "IdContact.Desk.SubjectPseudonymKey";

    /// <summary>How long a key that did not decrypt is not tried again (a lost key ring logs once a while, not per result).</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _failedUntil = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The pseudonym of the BSN among proven <paramref name="attributes"/>; null without one (or without a usable key).</summary>
    public async Task<string?> OfAttributesAsync(string tenant, IReadOnlyDictionary<string, string> attributes, CancellationToken ct) =>
        attributes.TryGetValue(Bsn.Attribute, out var value) && Bsn.Normalise(value) is { } bsn ? await OfBsnAsync(tenant, bsn, ct) : null;

    /// <summary>The pseudonym of a BSN already normalised (<see cref="Bsn.Normalise"/>); null when the key cannot be opened.</summary>
    public async Task<string?> OfBsnAsync(string tenant, string normalised, CancellationToken ct)
    {
        var key = await KeyAsync(tenant, ct);
        return key is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(normalised)));
    }

    /// <summary>
    /// The session's records written before its BSN was known (a chat taken before the resident identified) get the
    /// pseudonym too: the access request must find the whole contact. Who, what and when stay as they were.
    /// </summary>
    public static Task BackfillAsync(DeskDbContext db, string sessionId, string pseudonym, CancellationToken ct) =>
        db.Audit.Where(a => a.SessionId == sessionId && a.SubjectPseudonym == null).ExecuteUpdateAsync(u => u.SetProperty(a => a.SubjectPseudonym, pseudonym), ct);

    /// <summary>
    /// The tenant's key itself, made on first need; null when it cannot be opened. Also the root of other keyed hashes
    /// (<see cref="Sessions.IdentifierHashes"/>), which derive their own sub-keys from it.
    /// </summary>
    internal async Task<byte[]?> KeyAsync(string tenant, CancellationToken ct)
    {
        if (_keys.TryGetValue(tenant, out var key))
        {
            return key;
        }

        if (_failedUntil.TryGetValue(tenant, out var until) && time.GetUtcNow() < until)
        {
            return null;
        }

        try
        {
            return _keys.GetOrAdd(tenant, await LoadOrCreateAsync(tenant, ct));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // The key ring that protected it is gone: records are written without a pseudonym rather than not at all.
            _failedUntil[tenant] = time.GetUtcNow() + RetryAfterFailure;
            logger.LogError("Tenant {Tenant}: the access log's pseudonym key cannot be decrypted ({Error}); records get no BSN pseudonym", tenant, e.Message);
            return null;
        }
    }

    private async Task<byte[]> LoadOrCreateAsync(string tenant, CancellationToken ct)
    {
        var protector = provider.CreateProtector(Purpose, tenant.ToLowerInvariant());
        await using var db = databases.Open(tenant);
        var stored = await StoredAsync(db, ct);
        if (stored is null)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            db.PseudonymKeys.Add(new PseudonymKey { Id = PseudonymKey.Current, Protected = Convert.ToBase64String(protector.Protect(fresh)), CreatedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                return fresh;
            }
            catch (DbUpdateException)
            {
                // Another instance made it first: its key is the one.
                db.ChangeTracker.Clear();
                stored = await StoredAsync(db, ct) ?? throw new InvalidOperationException("The pseudonym key could neither be stored nor read.");
            }
        }

        return protector.Unprotect(Convert.FromBase64String(stored));
    }

    private static Task<string?> StoredAsync(DeskDbContext db, CancellationToken ct) =>
        db.PseudonymKeys.AsNoTracking().Where(k => k.Id == PseudonymKey.Current).Select(k => k.Protected).FirstOrDefaultAsync(ct);
}
