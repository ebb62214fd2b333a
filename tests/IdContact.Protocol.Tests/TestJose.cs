using IdContact.Protocol.Keys;
using Jose;
using System.Security.Cryptography;
using System.Text;

namespace IdContact.Protocol.Tests;

/// <summary>Builds and takes apart tokens with jose-jwt directly, to test layouts our library would never produce.</summary>
internal static class TestJose
{
    public static string Decrypt(string token, PrivateKey key)
    {
        if (key.Type == KeyType.Rsa)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(key.ToPem());
            return JWT.Decode(token, rsa);
        }

        using var ecdh = ECDiffieHellman.Create();
        ecdh.ImportFromPem(key.ToPem());
        return JWT.Decode(token, ecdh);
    }

    public static string Encrypt(string plaintext, PublicKey key, JweAlgorithm alg, JweEncryption enc)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.ToPem());
        return JWT.Encode(plaintext, rsa, alg, enc, extraHeaders: new Dictionary<string, object> { ["typ"] = "JWT", ["cty"] = "JWT" });
    }

    /// <summary>Replaces __UNSIGNED__ by an alg-none JWS and __SIGNED__{claims} by an RS256 JWS of those claims.</summary>
    public static string FillInner(string plaintext, PrivateKey signer)
    {
        if (plaintext.Contains("__UNSIGNED__", StringComparison.Ordinal))
        {
            var claims = """{"sub":"id-contact-attributes","status":"succes","attributes":{"bsn":"1"},"exp":9999999999}""";
            return plaintext.Replace("__UNSIGNED__", B64("""{"alg":"none","typ":"JWT"}""") + "." + B64(claims) + ".", StringComparison.Ordinal);
        }

        const string marker = "__SIGNED__";
        var start = plaintext.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return plaintext;
        }

        var end = plaintext.LastIndexOf('"');
        var claimsJson = plaintext[(start + marker.Length)..end].Replace("\\\"", "\"", StringComparison.Ordinal);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(signer.ToPem());
        var jws = JWT.Encode(claimsJson, rsa, JwsAlgorithm.RS256);
        return plaintext[..start] + jws + plaintext[end..];
    }

    private static string B64(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
