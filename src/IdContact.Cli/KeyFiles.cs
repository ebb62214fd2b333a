using System.Formats.Asn1;
using System.Security.Cryptography;
using IdContact.Protocol.Keys;

namespace IdContact.Cli;

/// <summary>
/// Reads PEM key files (PKCS#8 private, SPKI public) whose type, RSA or EC, is told by the key's
/// algorithm identifier. Every failure is a <see cref="KeyLoadException"/> naming the file.
/// </summary>
public static class KeyFiles
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const long MaxFileBytes = 1024 * 1024;

    public static PrivateKey ReadPrivate(string path)
    {
        var pem = ReadPem(path, "PRIVATE KEY", out var der);
        return Load(path, () => PrivateKey.FromPem(DetectType(der, isPrivate: true), pem));
    }

    public static PublicKey ReadPublic(string path)
    {
        var pem = ReadPem(path, "PUBLIC KEY", out var der);
        return Load(path, () => PublicKey.FromPem(DetectType(der, isPrivate: false), pem));
    }

    /// <summary>RSA or EC, from the algorithm OID of a PKCS#8 (<paramref name="isPrivate"/>) or SPKI structure.</summary>
    public static KeyType DetectType(byte[] der, bool isPrivate)
    {
        string oid;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            if (isPrivate)
            {
                info.ReadInteger(); // version
            }

            oid = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw new KeyLoadException($"The PEM block is not a valid {(isPrivate ? "PKCS#8 private key" : "SPKI public key")}.");
        }

        return oid switch
        {
            RsaOid => KeyType.Rsa,
            EcOid => KeyType.Ec,
            _ => throw new KeyLoadException($"Key algorithm {oid} is not supported; use RSA or EC P-256 (idcontact keygen makes both)."),
        };
    }

    private static string ReadPem(string path, string label, out byte[] der)
    {
        var pem = ReadText(path);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyLoadException($"{path}: not a PEM file (expected '-----BEGIN {label}-----').");
        }

        var found = pem[fields.Label];
        if (found != label)
        {
            throw new KeyLoadException($"{path}: {WrongLabel(found, label)}");
        }

        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw new KeyLoadException($"{path}: the PEM block is not valid base64.");
        }

        return pem;
    }

    private static string WrongLabel(string found, string expected) => (found, expected) switch
    {
        ("PUBLIC KEY", "PRIVATE KEY") => "this is a public key; a private key (PKCS#8 PEM) is needed here.",
        ("PRIVATE KEY", "PUBLIC KEY") => "this is a private key; a public key (SPKI PEM) is needed here.",
        ("RSA PRIVATE KEY" or "EC PRIVATE KEY", _) =>
            $"'{found}' is a traditional key format; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in OLD -out private.pem'.",
        ("ENCRYPTED PRIVATE KEY", _) =>
            "the private key is password-protected; write an unencrypted copy with 'openssl pkcs8 -in OLD -out private.pem'.",
        ("RSA PUBLIC KEY", _) =>
            "'RSA PUBLIC KEY' is PKCS#1; convert it to SPKI with 'openssl rsa -RSAPublicKey_in -in OLD -pubout -out public.pem'.",
        ("CERTIFICATE", _) =>
            "this is a certificate; extract its public key with 'openssl x509 -in CERT -pubkey -noout > public.pem'.",
        _ => $"expected a '{expected}' PEM block but found '{found}'.",
    };

    private static string ReadText(string path)
    {
        if (Directory.Exists(path))
        {
            throw new KeyLoadException($"Key file '{path}' is a directory; give the path of the .pem file.");
        }

        if (!File.Exists(path))
        {
            throw new KeyLoadException($"Key file '{path}' does not exist.");
        }

        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new KeyLoadException($"Key file '{path}' is too large to be a PEM key.");
            }

            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyLoadException($"Key file '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static T Load<T>(string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (KeyLoadException e)
        {
            throw new KeyLoadException($"{path}: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new KeyLoadException($"{path}: the key cannot be imported ({e.Message}).", e);
        }
    }
}
