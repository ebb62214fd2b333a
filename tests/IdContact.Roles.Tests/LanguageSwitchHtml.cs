using System.Net;
using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

/// <summary>The header's language switch (<c>LanguageSwitch</c>) as a test reads it from a page's HTML.</summary>
public static partial class LanguageSwitchHtml
{
    /// <summary>The switch's address; it must be there and be named <paramref name="name"/> ("English", "Nederlands").</summary>
    public static string Href(string html, string name)
    {
        var match = Link().Match(html);
        Assert.True(match.Success, "no language switch");
        Assert.Equal(name, match.Groups["text"].Value);
        return WebUtility.HtmlDecode(match.Groups["href"].Value);
    }

    [GeneratedRegex("<a id=\"language-switch\"[^>]* href=\"(?<href>[^\"]*)\"[^>]*>(?<text>[^<]*)</a>")]
    private static partial Regex Link();
}
