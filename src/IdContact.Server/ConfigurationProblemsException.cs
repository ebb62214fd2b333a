namespace IdContact.Server;

/// <summary>The configuration cannot run; each problem is one sentence for the operator.</summary>
public sealed class ConfigurationProblemsException(IReadOnlyList<string> problems)
    : Exception("The configuration has problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
