using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace IdContact.Desk.Exchange;

/// <summary>Builds one SQL statement from fragments that each keep their values as parameters.</summary>
internal static partial class SqlText
{
    /// <summary>
    /// Joins SQL fragments into one statement; each fragment's values stay parameters, numbered on after the previous
    /// fragment's (EF Core would send a nested FormattableString as one parameter, not as SQL).
    /// </summary>
    public static FormattableString Concat(params FormattableString[] parts)
    {
        var format = new StringBuilder();
        var arguments = new List<object?>();
        foreach (var part in parts)
        {
            var offset = arguments.Count;
            format.Append(Placeholder().Replace(part.Format, m => m.Groups[1].Success ? $"{{{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + offset}{m.Groups[2].Value}}}" : m.Value));
            arguments.AddRange(part.GetArguments());
        }

        return FormattableStringFactory.Create(format.ToString(), [.. arguments]);
    }

    /// <summary>A composite-format placeholder {index[,alignment][:format]}, or an escaped brace left as it is.</summary>
    [GeneratedRegex(@"\{\{|\}\}|\{(\d+)([^}]*)\}")]
    private static partial Regex Placeholder();
}
