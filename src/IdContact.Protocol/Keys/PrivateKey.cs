using System.Security.Cryptography;

namespace IdContact.Protocol.Keys;

/// <summary>A PKCS#8 private key: signs auth results (auth plugin) or decrypts them (comm plugin).</summary>
public sealed class PrivateKey
{
    private readonly byte[] _pkcs8;

    private PrivateKey(KeyType type, byte[] pkcs8)
    {
        Type = type;
        _pkcs8 = pkcs8;
        PublicKey = type == KeyType.Rsa
            ? PublicKey.FromSpki(type, Rsa().ExportSubjectPublicKeyInfo())
            : PublicKey.FromSpki(type, Ecdsa().ExportSubjectPublicKeyInfo());
    }

    public KeyType Type { get; }

    public PublicKey PublicKey { get; }

    public static PrivateKey Load(KeyConfig config) => FromPem(PemKeys.ParseType(config.Type), config.Key);

    public static PrivateKey FromPem(KeyType type, string pem)
    {
        var der = PemKeys.ReadPem(pem, "PRIVATE KEY");
        var key = new PrivateKey(type, der);
        // Importing once validates the key and its type up front.
        if (type == KeyType.Ec && key.Ecdsa().KeySize != 256)
        {
            throw new KeyLoadException("EC keys must be on curve P-256 (ES256).");
        }

        return key;
    }

    public static PrivateKey Generate(KeyType type)
    {
        byte[] der;
        if (type == KeyType.Rsa)
        {
            using var rsa = RSA.Create(2048);
            der = rsa.ExportPkcs8PrivateKey();
        }
        else
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            der = ec.ExportPkcs8PrivateKey();
        }

        return new PrivateKey(type, der);
    }

    public string ToPem() => PemEncoding.WriteString("PRIVATE KEY", _pkcs8);

    public KeyConfig ToConfig() => new(Type == KeyType.Rsa ? "RSA" : "EC", ToPem());

    /// <summary>The algorithm object jose-jwt signs with: RSA or ECDsa.</summary>
    // Imported once and reused: importing costs as much as signing. The OpenSSL-backed objects create a fresh
    // context per operation, so concurrent use is safe; they live as long as the key.
    private RSA? _rsa;
    private ECDsa? _ecdsa;
    private ECDiffieHellman? _ecdh;

    internal AsymmetricAlgorithm SigningKey() => Type == KeyType.Rsa ? Rsa() : Ecdsa();

    internal RSA Rsa() => LazyInitializer.EnsureInitialized(ref _rsa, () => PemKeys.Import(RSA.Create, k => k.ImportPkcs8PrivateKey(_pkcs8, out _), "RSA private key"));

    internal ECDsa Ecdsa() => LazyInitializer.EnsureInitialized(ref _ecdsa, () => PemKeys.Import(() => ECDsa.Create(), k => k.ImportPkcs8PrivateKey(_pkcs8, out _), "EC private key"));

    internal ECDiffieHellman Ecdh() => LazyInitializer.EnsureInitialized(ref _ecdh, () => PemKeys.Import(() => ECDiffieHellman.Create(), k => k.ImportPkcs8PrivateKey(_pkcs8, out _), "EC private key"));
}
