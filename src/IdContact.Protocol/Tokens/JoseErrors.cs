using System.Security.Cryptography;
using System.Text.Json;
using Jose;

namespace IdContact.Protocol.Tokens;

internal static class JoseErrors
{
    // Jose and the crypto stack signal bad input with a handful of exception types; anything else is a bug.
    public static bool IsBadInput(Exception e) =>
        e is JoseException or ArgumentException or FormatException or CryptographicException
            or IndexOutOfRangeException or InvalidOperationException or JsonException;
}
