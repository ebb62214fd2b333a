using System.Text.RegularExpressions;

namespace IdContact.Desk.Agents;

/// <summary>The municipality's link to its own system with attributes filled in (P6), e.g. "https://zaken.example/?bsn={bsn}".</summary>
public static partial class ExternalLink
{
    /// <summary>Null when there is no template, a placeholder has no value, or the result is not an http(s) URL.</summary>
    public static string? Fill(string? template, IReadOnlyDictionary<string, string> attributes)
    {
        if (string.IsNullOrEmpty(template))
        {
            return null;
        }

        var missing = false;
        var url = Placeholder().Replace(template, m =>
        {
            if (attributes.TryGetValue(m.Groups[1].Value, out var value))
            {
                return Uri.EscapeDataString(value);
            }

            missing = true;
            return "";
        });

        return !missing && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? url : null;
    }

    [GeneratedRegex(@"\{([a-zA-Z0-9_\-]+)\}")]
    private static partial Regex Placeholder();
}
