using System.Text.RegularExpressions;

namespace IdContact.Cli.Tests;

/// <summary>One key named in the configuration reference (docs/operations.md), canonical ("{}" for any placeholder, "[]" for an item).</summary>
public sealed record DocumentedKey(string Path, bool InFirstColumn, string DefaultCell);

/// <summary>
/// The "Configuration reference" table of docs/operations.md as keys. A row names its keys in backticks in the first column: a key
/// starting with a section (<c>`RateLimits:StartPerMinute`</c>) is whole, a following one (<c>`PluginStartPerMinute`</c>)
/// is a sibling of the key before it. A list of objects (<c>`Tenants:{tag}:Purposes[]`</c>) names its items' keys in
/// the meaning column. The default column gives one default per key, comma-separated, or one text for all.
/// </summary>
public static partial class ConfigReference
{
    public static List<DocumentedKey> Read(string markdown, ISet<string> sections)
    {
        var keys = new List<DocumentedKey>();
        foreach (var row in Rows(markdown))
        {
            var cells = UnescapedPipe().Split(row.Trim().Trim('|')).Select(c => c.Trim()).ToArray();
            if (cells.Length != 3)
            {
                throw new InvalidOperationException($"A configuration row without three columns: {row}");
            }

            var names = new List<string>();
            string? parent = null;
            foreach (var token in Backticked(cells[0]))
            {
                var path = Canonical(token);
                if (sections.Contains(path.Split(':')[0]))
                {
                    parent = path.Contains(':', StringComparison.Ordinal) ? path[..path.LastIndexOf(':')] : "";
                }
                else
                {
                    path = parent is null ? path : $"{parent}:{path.TrimStart(':')}".TrimStart(':');
                }

                names.Add(path);
            }

            var defaults = cells[2].Split(", ");
            for (var i = 0; i < names.Count; i++)
            {
                keys.Add(new DocumentedKey(names[i], true, defaults.Length == names.Count ? defaults[i] : cells[2]));
            }

            foreach (var list in names.Where(n => n.EndsWith(":[]", StringComparison.Ordinal)))
            {
                keys.AddRange(Backticked(cells[1]).Where(t => ItemKey().IsMatch(t)).Select(t => new DocumentedKey($"{list}:{t}", false, "")));
            }
        }

        return keys;
    }

    /// <summary>"Tenants:{tag}:Purposes[]" → "Tenants:{}:Purposes:[]"; "Previous:0:Key" → "Previous:[]:Key".</summary>
    public static string Canonical(string key)
    {
        var path = Placeholder().Replace(key, "{}").Replace("[]", ":[]", StringComparison.Ordinal);
        return string.Join(':', path.Split(':').Select(s => s.Length > 0 && s.All(char.IsAsciiDigit) ? "[]" : s));
    }

    /// <summary>
    /// The settings a text names in code spans outside the reference table: a span of two or more ":"-separated
    /// segments, each a name in Pascal case, a placeholder or an index (`Tenants:{tag}:Desk:Video:ReminderHours`; not
    /// iCalendar's `METHOD:CANCEL`).
    /// </summary>
    public static IEnumerable<string> NamedKeys(string markdown) =>
        InlineKey().Matches(markdown).Select(m => m.Groups[1].Value);

    private static IEnumerable<string> Rows(string markdown)
    {
        var start = markdown.IndexOf("### Configuration reference", StringComparison.Ordinal);
        var end = markdown.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return markdown[start..end].Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Backticked(string cell) => Backtick().Matches(cell).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"(?<![`\w])`((?:[A-Z][a-z][A-Za-z]*|\{[a-z]+\}|\d+)(?::(?:[A-Z][a-z][A-Za-z]*|\{[a-z]+\}|\d+))+)`")]
    private static partial Regex InlineKey();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backtick();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Z][A-Za-z]*$")]
    private static partial Regex ItemKey();
}
