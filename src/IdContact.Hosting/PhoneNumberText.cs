using PhoneNumbers;

namespace IdContact.Hosting;

/// <summary>
/// A phone number as residents read it: Dutch numbers in the national grouping ("026 377 0000"), foreign ones in the
/// international grouping ("+32 2 123 45 67"). Links keep E.164 in their <c>tel:</c> href; a number that does not
/// parse as a valid one is shown as given.
/// </summary>
public static class PhoneNumberText
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public static string Display(string number)
    {
        try
        {
            var parsed = Numbers.Parse(number, "NL");
            if (!Numbers.IsValidNumber(parsed))
            {
                return number;
            }

            return Numbers.GetRegionCodeForNumber(parsed) == "NL"
                ? Numbers.Format(parsed, PhoneNumberFormat.NATIONAL)
                : Numbers.Format(parsed, PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return number;
        }
    }

    /// <summary>
    /// The displayed number for screen readers: digit by digit, a pause between groups ("0 2 6, 3 7 7, 0 0 0 0"),
    /// so it is not read as "twenty-six" or "three hundred seventy-seven".
    /// </summary>
    public static string Spoken(string display) =>
        string.Join(", ", display.Split([' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(group => string.Join(' ', group.ToCharArray())));
}
