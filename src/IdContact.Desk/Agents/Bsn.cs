namespace IdContact.Desk.Agents;

/// <summary>
/// The citizen service number (burgerservicenummer) as the access log keys it: nine digits, leading zeros kept, so a
/// number written as "12345672" and one proven as "012345672" are the same resident.
/// </summary>
public static class Bsn
{
    /// <summary>The attribute tag of a proven BSN.</summary>
    public const string Attribute = "bsn";

    public const int Length = 9;

    /// <summary>
    /// Digits only (spaces, dots and hyphens people type between groups are dropped), left-padded with zeros to nine; null
    /// when anything else is in it or it has more than nine digits.
    /// </summary>
    public static string? Normalise(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var digits = new System.Text.StringBuilder(Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '.' or '-'))
            {
                return null;
            }
        }

        return digits.Length is 0 or > Length ? null : digits.ToString().PadLeft(Length, '0');
    }

    /// <summary>The eleven-test (elfproef) for a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11, and not all zeros.</summary>
    public static bool PassesElevenTest(string normalised)
    {
        if (normalised.Length != Length || !normalised.All(char.IsAsciiDigit) || normalised == "000000000")
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < Length - 1; i++)
        {
            sum += (Length - i) * (normalised[i] - '0');
        }

        return (sum - (normalised[^1] - '0')) % 11 == 0;
    }
}
