using System.Security.Cryptography;
using System.Text;

namespace IdContact.Desk.Sessions;

/// <summary>Random identifiers, codes and secrets, all from the OS CSPRNG.</summary>
public static class Secrets
{
    /// <summary>A URL-safe random string of <paramref name="bytes"/> bytes (16 = 128 bits).</summary>
    public static string NewId(int bytes = 16) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A DTMF code of decimal digits, uniformly drawn.</summary>
    public static string NewCode(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });

    public static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
