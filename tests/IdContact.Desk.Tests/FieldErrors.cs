using System.Text.RegularExpressions;

namespace IdContact.Desk.Tests;

/// <summary>A form's error named on its field (WCAG 3.3.1, 1.3.1, 4.1.2): the field points at the message and is marked invalid.</summary>
internal static partial class FieldErrors
{
    /// <summary>The field <paramref name="fieldId"/> is described by the message <paramref name="errorId"/> and (unless a group) invalid.</summary>
    public static void AssertLinked(string html, string fieldId, string errorId, bool group = false)
    {
        Assert.Matches($"<p class=\"error\" role=\"alert\" id=\"{errorId}\"", html);
        var field = Regex.Match(html, $"<(input|select|fieldset)\\b[^>]*\\bid=\"{Regex.Escape(fieldId)}\"[^>]*>");
        Assert.True(field.Success, $"no field {fieldId}");
        var describedBy = DescribedBy().Match(field.Value);
        Assert.True(describedBy.Success, $"{fieldId} has no aria-describedby: {field.Value}");
        Assert.Contains(errorId, describedBy.Groups[1].Value.Split(' '));
        if (!group)
        {
            Assert.Contains("aria-invalid=\"true\"", field.Value, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("aria-describedby=\"([^\"]*)\"")]
    private static partial Regex DescribedBy();
}
