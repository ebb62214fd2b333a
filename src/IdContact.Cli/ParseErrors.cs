using System.CommandLine;

namespace IdContact.Cli;

/// <summary>
/// The parse errors in the order an operator needs them. System.CommandLine names a missing subcommand before the word
/// it did not recognise ("Required command was not provided." above "Unrecognized command or argument 'confg'."): the
/// misspelt word is the cause, so it comes first and the missing command goes unsaid.
/// </summary>
public static class ParseErrors
{
    public static List<string> InOrder(RootCommand root, ParseResult parsed)
    {
        var messages = parsed.Errors.Select(e => e.Message).Distinct().ToList();
        if (parsed.UnmatchedTokens.Count == 0)
        {
            return messages;
        }

        // The root has no action of its own: parsed bare, its one error is that message, in the library's language.
        var commandMissing = root.Parse([]).Errors.Select(e => e.Message).ToHashSet();
        return [.. messages.Where(m => !commandMissing.Contains(m))
            .OrderBy(m => parsed.UnmatchedTokens.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal)) ? 0 : 1)];
    }
}
