using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Sessions;

/// <summary>A key the desk believes, with the name of the sign-in method it vouches for.</summary>
/// <param name="IsTest">The test plugin's or a generated development key: its data is never shown as proven.</param>
public sealed record TrustedKey(PublicKey Key, string Name, bool IsTest);

/// <summary>
/// The desk's decryption keys (one per tenant, or one shared), each followed by the keys being retired after a key
/// change, and the trusted verification keys, loaded once.
/// </summary>
public sealed class DeskKeys
{
    private readonly IReadOnlyList<PrivateKey>? _shared;
    private readonly Dictionary<string, IReadOnlyList<PrivateKey>> _perTenant = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PublicKey> _verifiers;
    private readonly TimeProvider _time;
    private readonly DeskMetrics _metrics;

    public DeskKeys(IOptions<IdContactOptions> options, TimeProvider time, DeskMetrics metrics)
    {
        var o = options.Value;
        _time = time;
        _metrics = metrics;
        _shared = Chain(o.Desk().DecryptionKey, o.Desk().PreviousDecryptionKeys);
        foreach (var (tag, tenant) in o.Tenants)
        {
            if (Chain(tenant.Desk().DecryptionKey, tenant.Desk().PreviousDecryptionKeys) is { } keys)
            {
                _perTenant[tag] = keys;
            }
        }

        Trusted = o.Desk().VerificationKeys.Select((config, i) =>
        {
            var key = PublicKey.Load(config);
            var name = string.IsNullOrWhiteSpace(config.Name) ? $"sleutel {i + 1}" : config.Name.Trim();
            return new TrustedKey(key, name, config.Test || o.IsTestSigningKey(key.ToPem()));
        }).ToList();
        _verifiers = Trusted.Select(t => t.Key).ToList();
    }

    public IReadOnlyList<TrustedKey> Trusted { get; }

    public TokenOpenResult Open(string tenant, string? token) =>
        Counted(tenant, "delivered", AuthResultToken.Open(token, Decrypters(tenant), _verifiers, _time.GetUtcNow()));

    /// <summary>Opens a stored token for display: its exp only limited delivery, not how long the agent may see it.</summary>
    public TokenOpenResult OpenStored(string tenant, string token) =>
        Counted(tenant, "stored", AuthResultToken.Open(token, Decrypters(tenant), _verifiers, _time.GetUtcNow(), ignoreExpiry: true));

    /// <summary>The key that vouched for an opened result.</summary>
    public TrustedKey? SignerOf(TokenOpenResult opened) => opened.Verifier >= 0 && opened.Verifier < Trusted.Count ? Trusted[opened.Verifier] : null;

    /// <summary>A result only a retired key opens is counted: once the count stays at zero, that key can go.</summary>
    private TokenOpenResult Counted(string tenant, string kind, TokenOpenResult opened)
    {
        if (opened.Decrypter > 0)
        {
            _metrics.RetiredKeyUsed(tenant, kind);
        }

        return opened;
    }

    private IReadOnlyList<PrivateKey> Decrypters(string tenant) =>
        _perTenant.GetValueOrDefault(tenant) ?? _shared ?? throw new InvalidOperationException($"No decryption key for tenant '{tenant}'.");

    private static IReadOnlyList<PrivateKey>? Chain(KeyConfig? current, List<KeyConfig> previous) =>
        current is null ? null : [PrivateKey.Load(current), .. previous.Select(PrivateKey.Load)];
}
