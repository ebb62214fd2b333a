using System.CommandLine;

namespace IdContact.Cli;

/// <summary>The operator CLI; tests call <see cref="Run"/> in-process with their own writers.</summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, TimeProvider? time = null)
    {
        var io = new CliIo(stdout, stderr, stdin, time ?? TimeProvider.System);
        var root = new RootCommand("IdContact operator tool: keys, tokens, configuration checks and the first administrator.")
        {
            KeygenCommand.Create(io),
            TokenCommands.Create(io),
            ConfigCommands.Create(io),
            AdminCommands.Create(io),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}

/// <summary>Where a command reads and writes, and what time it is.</summary>
public sealed record CliIo(TextWriter Out, TextWriter Error, TextReader In, TimeProvider Time)
{
    /// <summary>Prints a one-line reason and returns the failure exit code.</summary>
    public int Fail(string message)
    {
        Error.WriteLine(message);
        return 1;
    }
}
