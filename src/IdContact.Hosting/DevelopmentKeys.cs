using System.Security.Cryptography;
using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>
/// Embedded default: keys that are not configured are generated once under {DataDirectory}/keys and reused,
/// so the demo runs with no setup (demo mode only). Production configures every key explicitly. The trusted public keys
/// it fills in are marked as test keys: what they sign is never shown to an agent as proven.
/// </summary>
public static class DevelopmentKeys
{
    public static void FillMissing(IdContactOptions options)
    {
        var dir = Path.Combine(options.DataDirectory, "keys");
        if (options.AuthTest.SigningKey is null || options.CommTest.VerificationKeys.Count == 0 || options.Desk.VerificationKeys.Count == 0)
        {
            var auth = LoadOrCreate(dir, "auth-signing.pem");
            options.AuthTest.SigningKey ??= auth.ToConfig();
            AddIfEmpty(options.CommTest.VerificationKeys, auth);
            AddIfEmpty(options.Desk.VerificationKeys, auth);
        }

        // The demo's comm plugins (comm-test and the desk) share one key pair, so auth-test can encrypt to either.
        if (options.CommTest.DecryptionKey is null || options.AuthTest.EncryptionKey is null || options.Desk.DecryptionKey is null)
        {
            var comm = LoadOrCreate(dir, "comm-decryption.pem");
            options.CommTest.DecryptionKey ??= comm.ToConfig();
            options.Desk.DecryptionKey ??= comm.ToConfig();
            options.AuthTest.EncryptionKey ??= comm.PublicKey.ToConfig();
        }

        // The IRMA role shares the test plugin's development keys, so every demo comm plugin already trusts it.
        options.AuthIrma.SigningKey ??= options.AuthTest.SigningKey;
        options.AuthIrma.EncryptionKey ??= options.AuthTest.EncryptionKey;
        FillStateSecret(options);
    }

    /// <summary>The core's state secret is generated when absent, in every mode: it is no key anyone else must know.</summary>
    public static void FillStateSecret(IdContactOptions options)
    {
        var dir = Path.Combine(options.DataDirectory, "keys");
        if (string.IsNullOrEmpty(options.Core.StateSecret))
        {
            var path = Path.Combine(dir, "core-state.secret");
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(dir);
                WritePrivate(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            options.Core.StateSecret = File.ReadAllText(path).Trim();
        }
    }

    private static void AddIfEmpty(List<KeyConfig> keys, PrivateKey key)
    {
        if (keys.Count == 0)
        {
            var config = key.PublicKey.ToConfig();
            config.Name = "ontwikkelsleutel";
            config.Test = true;
            keys.Add(config);
        }
    }

    private static PrivateKey LoadOrCreate(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (File.Exists(path))
        {
            return PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(path));
        }

        Directory.CreateDirectory(dir);
        var key = PrivateKey.Generate(KeyType.Rsa);
        WritePrivate(path, key.ToPem());
        return key;
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
