using System.Security.Cryptography;

namespace IdContact.Protocol.Keys;

/// <summary>An SPKI public key: verifies auth results (comm plugin) or encrypts them to a comm plugin (auth plugin).</summary>
public sealed class PublicKey
{
    private readonly byte[] _spki;

    private PublicKey(KeyType type, byte[] spki)
    {
        Type = type;
        _spki = spki;
    }

    public KeyType Type { get; }

    public static PublicKey Load(KeyConfig config) => FromPem(PemKeys.ParseType(config.Type), config.Key);

    public static PublicKey FromPem(KeyType type, string pem)
    {
        var key = FromSpki(type, PemKeys.ReadPem(pem, "PUBLIC KEY"));
        if (type == KeyType.Rsa)
        {
            _ = key.Rsa();
        }
        else
        {
            var ec = key.Ecdsa();
            if (ec.KeySize != 256)
            {
                throw new KeyLoadException("EC keys must be on curve P-256 (ES256).");
            }
        }

        return key;
    }

    internal static PublicKey FromSpki(KeyType type, byte[] spki) => new(type, spki);

    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", _spki);

    public KeyConfig ToConfig() => new(Type == KeyType.Rsa ? "RSA" : "EC", ToPem());

    /// <summary>The algorithm object jose-jwt verifies with: RSA or ECDsa.</summary>
    // Imported once and reused: see PrivateKey.
    private RSA? _rsa;
    private ECDsa? _ecdsa;
    private ECDiffieHellman? _ecdh;

    internal AsymmetricAlgorithm VerificationKey() => Type == KeyType.Rsa ? Rsa() : Ecdsa();

    internal RSA Rsa() => LazyInitializer.EnsureInitialized(ref _rsa, () => PemKeys.Import(RSA.Create, k => k.ImportSubjectPublicKeyInfo(_spki, out _), "RSA public key"));

    internal ECDsa Ecdsa() => LazyInitializer.EnsureInitialized(ref _ecdsa, () => PemKeys.Import(() => ECDsa.Create(), k => k.ImportSubjectPublicKeyInfo(_spki, out _), "EC public key"));

    internal ECDiffieHellman Ecdh() => LazyInitializer.EnsureInitialized(ref _ecdh, () => PemKeys.Import(() => ECDiffieHellman.Create(), k => k.ImportSubjectPublicKeyInfo(_spki, out _), "EC public key"));
}
