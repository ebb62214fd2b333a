using System.Text.Json.Nodes;

namespace IdContact.Protocol.Tokens;

/// <summary>JWT NumericDate claims (<c>exp</c>, <c>iat</c>) as the tokens of both our token layouts read them.</summary>
internal static class NumericDates
{
    /// <summary>
    /// Whole seconds of a JWT NumericDate, within DateTimeOffset's range. RFC 7519 allows a fraction (a script's
    /// <c>Date.now() / 1000</c>), which is cut off: the token then expires up to a second early, never late.
    /// </summary>
    public static long? Seconds(JsonNode? node)
    {
        const double Max = 253402300799;
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var whole))
        {
            return Math.Clamp(whole, 0, (long)Max);
        }

        return value.TryGetValue<double>(out var seconds) && double.IsFinite(seconds) ? (long)Math.Clamp(Math.Floor(seconds), 0, Max) : null;
    }
}
