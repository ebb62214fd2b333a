using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

/// <summary>
/// One URL path a guide names in backticks, as segments ("{}" for any placeholder), with its methods (none: any). A path
/// continued from another ("…/send") may hang from that one or from any path above it: <paramref name="Candidates"/>,
/// longest first. A <paramref name="Prefix"/> ("/irma-fake/…", a lone "/{tenant}") only says routes start with it.
/// </summary>
public sealed record DocumentedPath(string File, int Line, string Text, IReadOnlyList<string> Methods, IReadOnlyList<IReadOnlyList<string>> Candidates, bool Prefix)
{
    public IReadOnlyList<string> Segments => Candidates[0];

    public override string ToString() => $"{File}:{Line} `{Text}`";
}

/// <summary>
/// The URL paths of the guides, read as they are written there: a code span holding a path, optionally after its methods
/// (<c>`GET|POST /video/book/{token}`</c>). A path without <c>/{tenant}</c> is under one; <c>take|end</c> in a segment
/// names each; <c>…/send</c> continues the last whole path before it (or a path above that one); a query (<c>?s=</c>,
/// <c>[?result=]</c>) or a trailing <c>…</c> is not part of the path, and <c>/irma-fake/…</c> names a prefix.
/// Fenced code blocks are examples, not read.
/// </summary>
public static partial class EndpointDocs
{
    public static List<DocumentedPath> Read(string file, string markdown)
    {
        var paths = new List<DocumentedPath>();
        string[]? last = null;
        var text = Fence().Replace(markdown, m => new string('\n', m.Value.Count(c => c == '\n')));
        foreach (Match span in CodeSpan().Matches(text))
        {
            var path = PathSpan().Match(span.Groups[1].Value);
            if (!path.Success)
            {
                continue;
            }

            var methods = path.Groups["methods"].Success ? path.Groups["methods"].Value.Split('|') : [];
            var segments = path.Groups["path"].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Canonical).ToArray();
            var prefix = path.Groups["path"].Value.EndsWith('/') && path.Groups["rest"].Value.StartsWith('…') || segments is ["{}"];
            var line = text[..span.Index].Count(c => c == '\n') + 1;
            foreach (var expanded in Expand(segments))
            {
                List<IReadOnlyList<string>> candidates;
                if (path.Groups["relative"].Success)
                {
                    if (last is null)
                    {
                        throw new InvalidOperationException($"{file}:{line}: `{span.Groups[1].Value}` continues no path before it");
                    }

                    candidates = [.. Enumerable.Range(0, last.Length + 1).Reverse().Select(n => (IReadOnlyList<string>)[.. last[..n], .. expanded])];
                }
                else
                {
                    candidates = [expanded];
                }

                paths.Add(new DocumentedPath(file, line, span.Groups[1].Value, methods, candidates, prefix));
            }

            if (!path.Groups["relative"].Success)
            {
                last = segments;
            }
        }

        return paths;
    }

    /// <summary>"{callId}" → "{}", "{documentName}.json" → "{}.json": placeholder names are the doc's choice.</summary>
    public static string Canonical(string segment) => Placeholder().Replace(segment, "{}");

    /// <summary>Each alternative of a "take|identify|end" segment.</summary>
    private static IEnumerable<IReadOnlyList<string>> Expand(IEnumerable<string> segments)
    {
        IEnumerable<List<string>> paths = [[]];
        foreach (var segment in segments)
        {
            var alternatives = segment.Split('|');
            paths = paths.SelectMany(p => alternatives.Select(a => (List<string>)[.. p, a]));
        }

        return paths;
    }

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"(?<!`)`([^`\n]+)`(?!`)")]
    private static partial Regex CodeSpan();

    /// <summary>Methods, a space, then a path from "/" or "…/" up to a query, a "[", a "…" or the span's end.</summary>
    [GeneratedRegex(@"^(?:(?<methods>(?:GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST|PUT|PATCH|DELETE))*) )?(?<relative>…)?(?<path>/[^\s?\[…]*)(?<rest>[?\[…].*)?$")]
    private static partial Regex PathSpan();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
