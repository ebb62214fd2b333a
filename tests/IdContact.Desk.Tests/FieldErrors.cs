using System.Text.RegularExpressions;

namespace IdContact.Desk.Tests;

/// <summary>
/// A form's error named on its field (WCAG 3.3.1, 1.3.1, 4.1.2): the page's error summary links to the field, the field
/// points at its own message beside it and is marked invalid, and the title says the page is about an error.
/// </summary>
internal static partial class FieldErrors
{
    /// <summary>
    /// The summary <paramref name="summaryId"/> links to <paramref name="fieldId"/> (or, for a group, its first choice
    /// <paramref name="target"/>); the field is described by its message and (unless a group) invalid.
    /// </summary>
    public static void AssertLinked(string html, string fieldId, string summaryId, bool group = false, string? target = null)
    {
        var summary = Summary(html, summaryId);
        Assert.Contains($"href=\"#{target ?? fieldId}\"", summary, StringComparison.Ordinal);
        var field = Regex.Match(html, $"<(input|select|fieldset)\\b[^>]*\\bid=\"{Regex.Escape(fieldId)}\"[^>]*>");
        Assert.True(field.Success, $"no field {fieldId}");
        var describedBy = DescribedBy().Match(field.Value);
        Assert.True(describedBy.Success, $"{fieldId} has no aria-describedby: {field.Value}");
        Assert.Contains($"{fieldId}-error", describedBy.Groups[1].Value.Split(' '));
        Assert.Matches($"<p class=\"error utrecht-form-field-error-message\" id=\"{Regex.Escape(fieldId)}-error\">[^<]+</p>", html);
        if (!group)
        {
            Assert.Contains("aria-invalid=\"true\"", field.Value, StringComparison.Ordinal);
        }

        Assert.Matches("<title>(Fout|Error): ", html);
    }

    /// <summary>
    /// The error summary: it takes the focus, headed "Er is een probleem"/"There is a problem"; no alert as well, which
    /// would make a screen reader read it twice (GOV.UK, NL Design System).
    /// </summary>
    public static string Summary(string html, string summaryId)
    {
        var summary = Regex.Match(html, $"<div class=\"error-summary\" id=\"{Regex.Escape(summaryId)}\" tabindex=\"-1\" data-focus-on-load[^>]*>(.*?)</div>", RegexOptions.Singleline);
        Assert.True(summary.Success, $"no error summary {summaryId}");
        Assert.Matches("<h2 [^>]*>(Er is een probleem|There is a problem)</h2>", summary.Groups[1].Value);
        return summary.Groups[1].Value;
    }

    /// <summary>The links of the summary, in order: where each goes.</summary>
    public static IReadOnlyList<string> SummaryLinks(string html, string summaryId) =>
        [.. Link().Matches(Summary(html, summaryId)).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("aria-describedby=\"([^\"]*)\"")]
    private static partial Regex DescribedBy();

    [GeneratedRegex("href=\"#([^\"]+)\"")]
    private static partial Regex Link();
}
