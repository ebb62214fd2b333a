using System.Text.RegularExpressions;

namespace IdContact.Cli.Tests;

/// <summary>
/// docs/cli.md and the CLI's own --help agree: every option a usage line in the doc names is in that command's help,
/// with the same placeholder (FILE.json, DIR…) or, for a switch, none.
/// </summary>
public sealed partial class CliDocsTests : CliTestBase
{
    [Fact]
    public void Every_option_in_the_docs_usage_lines_is_in_the_help_with_its_placeholder()
    {
        var usages = UsageLines().ToList();
        Assert.True(usages.Count >= 6, "keygen, dataprotection-cert, token issue, token inspect, config check, admin create");

        var wrong = new List<string>();
        foreach (var (command, options) in usages)
        {
            var (code, help, _) = Run([.. command, "--help"]);
            Assert.Equal(0, code);
            foreach (var (option, placeholder) in options)
            {
                var shown = Regex.Match(help, $@"^\s+(?:-\w, )?{Regex.Escape(option)}(?: <([^>]+)>)?(?=\s)", RegexOptions.Multiline);
                var expected = placeholder is null ? "" : $"<{placeholder}>";
                var actual = !shown.Success ? "(absent)" : shown.Groups[1].Success ? $"<{shown.Groups[1].Value}>" : "";
                var fits = shown.Success && (placeholder is null
                    ? !shown.Groups[1].Success
                    : shown.Groups[1].Success && (shown.Groups[1].Value == placeholder || shown.Groups[1].Value.Split('|').Contains(placeholder)));
                if (!fits)
                {
                    wrong.Add($"idcontact {string.Join(' ', command)} {option}: doc {expected}, help {actual}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The indented `idcontact …` lines (with their `\` continuations): the command words and, per option
    /// the first time it appears, the placeholder after it (null for a switch).</summary>
    private static IEnumerable<(string[] Command, List<(string Option, string? Placeholder)> Options)> UsageLines()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        var text = File.ReadAllText(Path.Combine(dir.FullName, "docs", "cli.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (Match line in Usage().Matches(text))
        {
            var raw = line.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var command = raw.TakeWhile(t => !t.StartsWith('-') && t == t.ToLowerInvariant()).ToArray();
            var options = new List<(string, string?)>();
            for (var i = command.Length; i < raw.Length; i++)
            {
                var option = raw[i].TrimStart('[').TrimEnd(']');
                if (!option.StartsWith("--", StringComparison.Ordinal) || options.Any(o => o.Item1 == option))
                {
                    continue;
                }

                // A switch ends its [group] or is followed by the next option or group.
                var next = raw[i].EndsWith(']') || i + 1 == raw.Length ? null : raw[i + 1];
                options.Add((option, next is null || next.StartsWith('-') || next.StartsWith('[') ? null : next.TrimEnd(']')));
            }

            yield return (command, options);
        }
    }

    [GeneratedRegex(@"^    idcontact (.+)$", RegexOptions.Multiline)]
    private static partial Regex Usage();
}
