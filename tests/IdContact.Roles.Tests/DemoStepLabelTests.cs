using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

/// <summary>
/// The demo walks of README.md and docs/staff-guide.md name the buttons and links to press in bold (**Starten**,
/// **Gesprek aannemen**): each is a whole Dutch text of a page as the sources spell it (a Razor element's whole text,
/// the Dutch side of <c>English ? "Start" : "Starten"</c> in C# or a page script, or a demo method's <c>Name</c>), so a
/// renamed button cannot leave the guide pointing at nothing.
/// </summary>
public sealed partial class DemoStepLabelTests
{
    [Fact]
    public void Every_button_the_demo_steps_name_is_a_text_on_a_page()
    {
        var root = RepoRoot();
        var sources = string.Join('\n', Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj" or "node_modules"))
            .Select(File.ReadAllText));

        var labels = new[] { "README.md", "docs/staff-guide.md" }
            .SelectMany(file => Steps(File.ReadAllText(Path.Combine(root, file))).Select(label => (file, label)))
            .ToList();
        Assert.True(labels.Count >= 30, $"only {labels.Count} labels in the demo steps");

        var missing = labels.Where(l => !Regex.IsMatch(sources, Shown(Regex.Escape(l.label)))).Select(l => $"{l.file}: **{l.label}**").Distinct().ToList();
        Assert.True(missing.Count == 0, "Named in a demo step, on no page:\n" + string.Join("\n", missing));
    }

    /// <summary>The bold texts of numbered steps (a step runs on over its indented lines), less run-in headings ending in ".".</summary>
    private static IEnumerable<string> Steps(string markdown)
    {
        var inStep = false;
        foreach (var line in markdown.Split('\n'))
        {
            inStep = StepStart().IsMatch(line) || (inStep && line.StartsWith("   ", StringComparison.Ordinal));
            if (inStep)
            {
                foreach (Match bold in Bold().Matches(line))
                {
                    if (!bold.Groups[1].Value.EndsWith('.'))
                    {
                        yield return bold.Groups[1].Value;
                    }
                }
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

    /// <summary>An element's whole text, the Dutch side of a ternary (C# or a script's quotes) or a demo method's name.</summary>
    private static string Shown(string label) => $"""
        >\s*{label}\s*<|:\s*\$?["'`]{label}["'`]|Name = "{label}"
        """;

    [GeneratedRegex(@"^\d+\. ")]
    private static partial Regex StepStart();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();
}
