using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdContact.Desk.Chat;

/// <summary>
/// What a chat message may be: plain text up to <see cref="MaxLength"/> characters and Desk:Chat:MaxLineBreaks line
/// breaks, shown as text, never as markup. The cap keeps one line from filling the other side's screen and screen reader.
/// </summary>
public static partial class ChatRules
{
    public const int MaxLength = 2000;

    /// <summary>The default of Desk:Chat:MaxLineBreaks.</summary>
    public const int DefaultMaxLineBreaks = 20;

    /// <summary>Combining marks kept in a row: Vietnamese, Hebrew points, Thai and Indic scripts need two or three.</summary>
    public const int MaxCombiningMarks = 4;

    /// <summary>
    /// The text as it is stored: every kind of line break one "\n" (a lone CR or U+2028 breaks a line on screen too, and
    /// must count), a run of more than two blank lines one blank line, and at most <see cref="MaxCombiningMarks"/>
    /// combining marks in a row. Silent: nothing the writer meant is lost.
    /// </summary>
    public static string Tidy(string? text) =>
        text is null ? "" : CapCombiningMarks(BlankRun().Replace(LineBreak().Replace(text, "\n"), "\n\n"));

    /// <summary>
    /// Drops the combining marks (Mn, Me) past <see cref="MaxCombiningMarks"/> in a row. Hundreds of marks on one letter
    /// ("zalgo") are one short line that paints over the lines around it; collapsed rather than refused, as the letters
    /// stay readable and no real text stacks more.
    /// </summary>
    private static string CapCombiningMarks(string text)
    {
        StringBuilder? capped = null;
        var index = 0;
        foreach (var (rune, pastCap) in MarkRuns(text))
        {
            if (pastCap)
            {
                // Copied lazily: almost every line has nothing to drop and is returned as it came.
                capped ??= new StringBuilder(text, 0, index, text.Length);
            }
            else
            {
                capped?.Append(rune.ToString());
            }

            index += rune.Utf16SequenceLength;
        }

        return capped?.ToString() ?? text;
    }

    /// <summary>
    /// True when more than <see cref="MaxCombiningMarks"/> combining marks stand in a row somewhere, counted as
    /// <see cref="Tidy"/> counts them: what a chat line would lose. A display name with them is refused instead.
    /// </summary>
    public static bool HasCombiningMarkPile(string text) => MarkRuns(text).Any(r => r.PastCap);

    /// <summary>Each rune with whether it is a combining mark past the cap in its run.</summary>
    private static IEnumerable<(Rune Rune, bool PastCap)> MarkRuns(string text)
    {
        var run = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var mark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
            // An invisible format character (a zero-width joiner) between marks ends no run: the marks still stack.
            run = mark ? run + 1 : category == UnicodeCategory.Format ? run : 0;
            yield return (rune, run > MaxCombiningMarks);
        }
    }

    /// <summary>A message past the per-minute limit of its side of the chat (Desk:ChatMessagesPerMinute).</summary>
    public static string TooManyMessages(bool english) =>
        english ? "You are sending too many messages; wait a minute." : "U stuurt te veel berichten; wacht een minuut.";

    /// <summary>Null when the (tidied) text may be sent; otherwise the reason, for the sender (Dutch first).</summary>
    public static string? Refusal(string? text, int maxLineBreaks, bool english)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return english ? "Type a message first." : "Typ eerst een bericht.";
        }

        if (text.Length > MaxLength)
        {
            return english ? $"A message can be at most {MaxLength} characters long." : $"Een bericht mag hoogstens {MaxLength} tekens lang zijn.";
        }

        return text.Count(c => c == '\n') > maxLineBreaks
            ? english ? $"A message can have at most {maxLineBreaks + 1} lines." : $"Een bericht mag hoogstens {maxLineBreaks + 1} regels hebben."
            : null;
    }

    [GeneratedRegex(@"\r\n|[\r\v\f\u0085\u2028\u2029]")]
    private static partial Regex LineBreak();

    /// <summary>A line break followed by three or more blank (or whitespace-only) lines.</summary>
    [GeneratedRegex(@"\n(?:[^\S\n]*\n){3,}")]
    private static partial Regex BlankRun();

    /// <summary>The page's own id of a message: 8–64 URL-safe characters.</summary>
    public static bool IsClientId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>A chat line as both pages receive it.</summary>
public sealed record ChatLine(long Seq, string ClientId, string Sender, string Kind, string? AgentName, string Text, DateTimeOffset At)
{
    /// <summary>The line of a stored message with its text as shown (<see cref="ChatTextProtector"/>); null text = could not be read.</summary>
    public static ChatLine Of(ChatMessage m, string? text) => text is null
        ? new(m.Sequence, m.ClientId, m.Sender, ChatKinds.Unreadable, m.AgentName, "", m.At)
        : new(m.Sequence, m.ClientId, m.Sender, m.Kind, m.AgentName, text, m.At);
}

/// <summary>Where a chat stands, for the resident's page.</summary>
/// <param name="Position">Place in the queue (1 = next) while waiting.</param>
public sealed record ChatStatus(string State, int Position, string? AgentName)
{
    /// <summary>An answer past the status limit: the page keeps what it shows.</summary>
    public static readonly ChatStatus Unchanged = new("unchanged", 0, null);
}
