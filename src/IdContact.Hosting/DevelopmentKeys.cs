using System.Security.Cryptography;
using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>
/// Demo mode only: keys that are not configured are generated once under {DataDirectory}/keys and reused, so the demo
/// runs with no setup. All demo auth plugins sign with one key and all demo comm plugins decrypt with one key, so any
/// of them can talk to any other. The trusted public keys made from them are marked as test keys: what they sign is
/// never shown to an agent as proven. Production configures every key explicitly.
/// </summary>
public sealed class DevelopmentKeys(string dataDirectory)
{
    private readonly Lazy<PrivateKey> _authSigning = new(() => LoadOrCreate(dataDirectory, "auth-signing.pem"));
    private readonly Lazy<PrivateKey> _commDecryption = new(() => LoadOrCreate(dataDirectory, "comm-decryption.pem"));
    private readonly Lazy<PrivateKey> _deskStarter = new(() => LoadOrCreate(dataDirectory, "desk-starter.pem", KeyType.Ec));

    /// <summary>The demo auth plugins' signing key.</summary>
    public PrivateKey AuthSigning => _authSigning.Value;

    /// <summary>The demo comm plugins' decryption key; auth plugins encrypt to its public half.</summary>
    public PrivateKey CommDecryption => _commDecryption.Value;

    /// <summary>The demo desk's starter key (EC P-256): it signs auth-only starts when an agent asks a chatting resident to identify.</summary>
    public PrivateKey DeskStarter => _deskStarter.Value;

    /// <summary>The demo auth plugins' public key as a trusted key, marked as a test key.</summary>
    public KeyConfig TrustedTestKey()
    {
        var config = AuthSigning.PublicKey.ToConfig();
        config.Name = "ontwikkelsleutel";
        config.Test = true;
        return config;
    }

    /// <summary>The demo's key-ring certificate, generated once, so even the demo keeps no data-protection key in the clear.</summary>
    public KeyRingOptions KeyRing()
    {
        var dir = Path.Combine(dataDirectory, "keys");
        string certificatePath = Path.Combine(dir, "dataprotection-certificate.pem"), keyPath = Path.Combine(dir, "dataprotection-key.pem");
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            var (certificate, key) = KeyRingOptions.NewCertificate("IdContact demo data protection", 2048);
            Directory.CreateDirectory(dir);
            OwnerOnlyFile.Write(keyPath, key);
            File.WriteAllText(certificatePath, certificate);
        }

        return new KeyRingOptions { Certificate = File.ReadAllText(certificatePath), Key = File.ReadAllText(keyPath) };
    }

    /// <summary>A secret file generated once (owner-only), for settings that are no key anyone else must know.</summary>
    public static string LoadOrCreateSecret(string dataDirectory, string file)
    {
        var path = Path.Combine(dataDirectory, "keys", file);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            OwnerOnlyFile.Write(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return File.ReadAllText(path).Trim();
    }

    private static PrivateKey LoadOrCreate(string dataDirectory, string file, KeyType type = KeyType.Rsa)
    {
        var dir = Path.Combine(dataDirectory, "keys");
        var path = Path.Combine(dir, file);
        if (File.Exists(path))
        {
            return PrivateKey.FromPem(type, File.ReadAllText(path));
        }

        Directory.CreateDirectory(dir);
        var key = PrivateKey.Generate(type);
        OwnerOnlyFile.Write(path, key.ToPem());
        return key;
    }
}
