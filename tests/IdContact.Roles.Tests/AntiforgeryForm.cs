using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

/// <summary>The antiforgery field a server-rendered form carries, for tests that post forms the way a browser would.</summary>
public static partial class AntiforgeryForm
{
    /// <summary>The field's name and token in <paramref name="html"/>; fails the test when <paramref name="page"/> has none.</summary>
    public static KeyValuePair<string, string> FieldOf(string html, string page)
    {
        var match = Field().Match(html);
        Assert.True(match.Success, "no antiforgery field on " + page);
        return new(match.Groups[1].Value, match.Groups[2].Value);
    }

    [GeneratedRegex("name=\"([^\"]*RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex Field();
}
