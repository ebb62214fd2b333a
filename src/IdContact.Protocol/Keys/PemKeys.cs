using System.Security.Cryptography;

namespace IdContact.Protocol.Keys;

/// <summary>Reads PKCS#8 private keys and SPKI public keys from PEM text.</summary>
internal static class PemKeys
{
    public static KeyType ParseType(string? type) => type?.Trim().ToUpperInvariant() switch
    {
        "RSA" => KeyType.Rsa,
        "EC" => KeyType.Ec,
        _ => throw new KeyLoadException($"Key type '{type}' is not supported; use \"RSA\" or \"EC\"."),
    };

    public static byte[] ReadPem(string? pem, string expectedLabel)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new KeyLoadException("The key is empty; expected a PEM block.");
        }

        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyLoadException("The key is not PEM text." + PemPath.Hint(pem));
        }

        var label = pem[fields.Label];
        if (label != expectedLabel)
        {
            throw new KeyLoadException($"Expected a '{expectedLabel}' PEM block but found '{label}'.");
        }

        try
        {
            return Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException e)
        {
            throw new KeyLoadException("The PEM block is not valid base64.", e);
        }
    }

    public static T Import<T>(Func<T> create, Action<T> import, string what)
        where T : AsymmetricAlgorithm
    {
        var key = create();
        try
        {
            import(key);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new KeyLoadException($"The PEM block is not a valid {what}.", e);
        }
    }
}
