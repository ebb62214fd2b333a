using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IdContact.Desk.Agents;

namespace IdContact.Desk.Sessions;

/// <summary>
/// The keyed hashes that counters and caps store in place of a personal identifier (a client address, a caller's number,
/// an e-mail address): HMAC-SHA256 under a per-tenant sub-key, derived with HKDF from the tenant's pseudonym key
/// (<see cref="SubjectPseudonyms"/>), which opens only with the data-protection key ring. An unkeyed hash of an IPv4
/// address, a phone number or an e-mail address is reversed by trying them all; a copy of the database alone does not
/// give this key. Another tenant's key differs, so its hashes of the same identifier never match. Kept per tenant and
/// process: after the first use (start-up) a hash costs no statement.
/// </summary>
public sealed class IdentifierHashes(SubjectPseudonyms pseudonyms)
{
    /// <summary>HKDF's info: the counters' sub-key is unrelated to the pseudonym key it comes from and to other sub-keys.</summary>
    private static readonly byte[] Label = "IdContact.Desk.Counters"u8.ToArray();

    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, byte[]> _stopgaps = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Lowercase hex (64 characters) of the keyed hash of <paramref name="value"/> for <paramref name="purpose"/> (the
    /// purpose keeps one address's web-code and sign-in counts unlinkable). Without a usable key (the key ring is lost,
    /// logged by <see cref="SubjectPseudonyms"/>) a random key of this process stands in: counts then hold per instance
    /// until restart, but nothing reversible is stored and no request fails.
    /// </summary>
    public async ValueTask<string> HashAsync(string tenant, string purpose, string value, CancellationToken ct)
    {
        var key = await KeyAsync(tenant, ct) ?? _stopgaps.GetOrAdd(tenant, _ => RandomNumberGenerator.GetBytes(32));
        return Of(key, purpose, value);
    }

    /// <summary>The keyed hash under a sub-key from <see cref="KeyAsync"/>.</summary>
    public static string Of(byte[] key, string purpose, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + "\n" + value)));

    /// <summary>The tenant's counters sub-key; null when its pseudonym key cannot be opened.</summary>
    public async ValueTask<byte[]?> KeyAsync(string tenant, CancellationToken ct)
    {
        if (_keys.TryGetValue(tenant, out var key))
        {
            return key;
        }

        var root = await pseudonyms.KeyAsync(tenant, ct);
        return root is null ? null : _keys.GetOrAdd(tenant, HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, [], Label));
    }
}
