using System.Globalization;

namespace IdContact.Desk.Pages;

/// <summary>An attribute's value as agents read it: a date of birth in the page's own order, anything else as received.</summary>
public static class AttributeValues
{
    private static readonly HashSet<string> DateTags = new(StringComparer.OrdinalIgnoreCase) { "birthdate", "dateofbirth" };
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>
    /// "01-04-1980" on Dutch pages; "1 April 1980" on English ones, which neither a European nor an American reader can
    /// take the wrong way round. Only a valid ISO date (yyyy-MM-dd) is rewritten.
    /// </summary>
    public static string Shown(string tag, string value, bool english) =>
        DateTags.Contains(tag) && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? english ? date.ToString("d MMMM yyyy", English) : date.ToString("dd-MM-yyyy", Dutch)
            : value;
}
