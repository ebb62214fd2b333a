using System.Text.RegularExpressions;

namespace IdContact.Cli.Tests;

/// <summary>
/// docs/cli.md and the CLI's own --help agree: every option a usage line in the doc names is in that command's help,
/// with the same placeholder (FILE.json, DIR…) or, for a switch, none; every command has its usage line there; and
/// every command line the guides quote (`idcontact keygen --type rsa --out DIR`, `admin create --privacy`) is a
/// command with those options.
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

    /// <summary>Guides that quote command lines in running text.</summary>
    private static readonly string[] Guides =
        ["README.md", "docs/cli.md", "docs/operations.md", "docs/staff-guide.md", "docs/development.md", "docs/security.md", "docs/architecture.md"];

    [Fact]
    public void Every_command_has_a_usage_line_in_the_docs()
    {
        var documented = UsageLines().Select(u => string.Join(' ', u.Command)).ToHashSet(StringComparer.Ordinal);
        var commands = Leaves([]).ToList();
        Assert.Contains("admin create", commands);
        var missing = commands.Where(c => !documented.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "No usage line in docs/cli.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_command_line_the_guides_quote_is_a_command_with_those_options()
    {
        var leaves = Leaves([]).ToHashSet(StringComparer.Ordinal);
        var groups = leaves.SelectMany(l => Enumerable.Range(1, l.Split(' ').Length - 1).Select(n => string.Join(' ', l.Split(' ')[..n]))).ToHashSet();
        var quoted = Guides.SelectMany(QuotedCommandLines).ToList();
        Assert.True(quoted.Count >= 8, string.Join("\n", quoted));

        var wrong = new List<string>();
        foreach (var (where, words, named) in quoted)
        {
            // The longest run of leading words that is a command: "admin create --tenant" → "admin create".
            var command = Enumerable.Range(1, words.Length).Reverse().Select(n => string.Join(' ', words[..n]))
                .FirstOrDefault(c => leaves.Contains(c) || groups.Contains(c));
            if (command is null || !leaves.Contains(command))
            {
                // Without "idcontact" in front a span is only a command line when it starts with one ("`admin`" is also a role).
                if (named)
                {
                    wrong.Add($"{where}: no command `{string.Join(' ', words)}`");
                }

                continue;
            }

            var help = Run([.. command.Split(' '), "--help"]).Output;
            foreach (var option in words.Where(w => w.StartsWith("--", StringComparison.Ordinal)).Select(w => w.TrimEnd(']')))
            {
                if (!Regex.IsMatch(help, $@"^\s+(?:-\w, )?{Regex.Escape(option)}(?=[\s<])", RegexOptions.Multiline))
                {
                    wrong.Add($"{where}: `idcontact {command}` has no {option}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The CLI's leaf commands ("keygen", "token issue"…) as its --help lists them, level by level.</summary>
    private static IEnumerable<string> Leaves(string[] path)
    {
        var (code, help, _) = Run([.. path, "--help"]);
        Assert.Equal(0, code);
        var commands = help.Split("Commands:");
        if (commands.Length < 2)
        {
            yield return string.Join(' ', path);
            yield break;
        }

        foreach (Match sub in SubCommand().Matches(commands[1]))
        {
            foreach (var leaf in Leaves([.. path, sub.Groups[1].Value]))
            {
                yield return leaf;
            }
        }
    }

    /// <summary>
    /// The command lines in code spans: after `idcontact ` or `dotnet run --project src/IdContact.Cli -- ` (named: it must
    /// be a command), or starting with a command word; the words up to the end of the span.
    /// </summary>
    private static IEnumerable<(string Where, string[] Words, bool Named)> QuotedCommandLines(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), file));
        foreach (Match span in CodeSpan().Matches(text))
        {
            var line = text[..span.Index].Count(c => c == '\n') + 1;
            var content = span.Groups[1].Value;
            var named = CliPrefix().Match(content);
            var words = (named.Success ? content[named.Length..] : content).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0 && (named.Success || words[0] is "keygen" or "dataprotection-cert" or "token" or "config" or "admin"))
            {
                yield return ($"{file}:{line}", words, named.Success);
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    [GeneratedRegex(@"^  (\S+)(?: <[^>]+>)?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex SubCommand();

    [GeneratedRegex(@"(?<!`)`([^`\n]+)`(?!`)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^(?:idcontact|dotnet run --project src/IdContact\.Cli --) ")]
    private static partial Regex CliPrefix();

    /// <summary>The indented `idcontact …` lines (with their `\` continuations): the command words and, per option
    /// the first time it appears, the placeholder after it (null for a switch).</summary>
    private static IEnumerable<(string[] Command, List<(string Option, string? Placeholder)> Options)> UsageLines()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "cli.md")).Replace("\\\n", " ", StringComparison.Ordinal);
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
