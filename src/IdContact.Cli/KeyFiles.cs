using IdContact.Protocol.Keys;

namespace IdContact.Cli;

/// <summary>Reads PEM key files whose type (RSA or EC) is told by the key itself.</summary>
public static class KeyFiles
{
    public static PrivateKey ReadPrivate(string path) => Read(path, PrivateKey.FromPem);

    public static PublicKey ReadPublic(string path) => Read(path, PublicKey.FromPem);

    private static T Read<T>(string path, Func<KeyType, string, T> load)
    {
        if (!File.Exists(path))
        {
            throw new KeyLoadException($"Key file '{path}' does not exist.");
        }

        var pem = File.ReadAllText(path);
        try
        {
            return load(KeyType.Rsa, pem);
        }
        catch (KeyLoadException rsaError)
        {
            try
            {
                return load(KeyType.Ec, pem);
            }
            catch (KeyLoadException)
            {
                throw new KeyLoadException($"{path}: {rsaError.Message}");
            }
        }
    }
}
