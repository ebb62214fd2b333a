using System.Numerics;
using System.Security.Cryptography;
using Jose;

namespace IdContact.Protocol.Tokens;

/// <summary>
/// The replay key of a verified JWS: SHA-256 of its signature bytes, decoded from base64url (so unused padding bits
/// cannot make a new key) and, for ECDSA, with S in its low form (so the (r, n−s) twin of a signature is the same key).
/// </summary>
internal static class ReplayKeys
{
    // Order of the P-256 group (ES256).
    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    public static string Of(string jws)
    {
        var signature = Base64Url.Decode(jws[(jws.LastIndexOf('.') + 1)..]);
        if (JWT.Headers(jws).TryGetValue("alg", out var alg) && Equals(alg, "ES256") && signature.Length == 64)
        {
            signature = LowS(signature);
        }

        return Convert.ToHexStringLower(SHA256.HashData(signature));
    }

    private static byte[] LowS(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        if (s <= P256Order / 2)
        {
            return signature;
        }

        var low = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var canonical = signature[..32].Concat(new byte[32 - low.Length]).Concat(low).ToArray();
        return canonical;
    }
}
