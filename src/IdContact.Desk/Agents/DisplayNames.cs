using System.Globalization;
using System.Text;
using IdContact.Desk.Chat;

namespace IdContact.Desk.Agents;

/// <summary>
/// An agent's display name shows in chat transcripts, the access log and the overview: a bidi override (U+202E), a
/// zero-width or other format character, a control character or a line break in it could turn what is around it
/// around or hide who acted. Ordinary spaces (also no-break spaces) are letters of a name like any other.
/// </summary>
public static class DisplayNames
{
    public static bool HasHidden(string name) => name.EnumerateRunes().Any(IsHidden);

    /// <summary>
    /// More combining marks in a row than a chat line keeps (<see cref="ChatRules.MaxCombiningMarks"/>): a "zalgo" name
    /// paints over the staffing page and the resident's chat around it. Refused rather than cut: a name is typed once,
    /// by an administrator who can see the refusal.
    /// </summary>
    public static bool HasMarkPile(string name) => ChatRules.HasCombiningMarkPile(name);

    // Cc and Cf, and the line and paragraph separators: a name is one line.
    private static bool IsHidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
