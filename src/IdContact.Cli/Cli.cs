using System.CommandLine;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Server;

namespace IdContact.Cli;

/// <summary>The operator CLI; tests call <see cref="Run"/> in-process with their own writers.</summary>
public static class Cli
{
    /// <summary>Runs one command. Exit codes: 0 done, 1 refused or a user error (one line on stderr), 2 a bug.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, TimeProvider? time = null)
    {
        var io = new CliIo(stdout, stderr, stdin, time ?? TimeProvider.System);
        var root = new RootCommand("IdContact operator tool: keys, tokens, configuration checks, the first administrator and removed municipalities.")
        {
            KeygenCommand.Create(io),
            DataProtectionCertCommand.Create(io),
            TokenCommands.Create(io),
            ConfigCommands.Create(io),
            AdminCommands.Create(io),
            TenantCommands.Create(io),
        };
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var message in ParseErrors.InOrder(root, parsed))
                {
                    stderr.WriteLine(message);
                }

                // The library's own error action still suggests the nearest command and shows the help (on stdout).
                return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = TextWriter.Null, EnableDefaultExceptionHandler = false });
            }

            return parsed.Invoke(invocation);
        }
        catch (ConfigurationProblemsException e)
        {
            return io.Fail(string.Join(Environment.NewLine, e.Problems));
        }
        catch (Exception e) when (e is CliException or KeyLoadException or IOException or UnauthorizedAccessException)
        {
            return io.Fail(e.Message);
        }
        catch (Exception e) when (FailureText.IsDatabase(e))
        {
            // A wrong password, an unreachable server or an unusable file: the operator's to fix.
            return io.Fail($"The database could not be used: {FailureText.Of(e)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine(Environment.GetEnvironmentVariable("IDCONTACT_DEBUG") is { Length: > 0 }
                ? e.ToString()
                : $"Unexpected error ({e.GetType().Name}): {e.Message} Set IDCONTACT_DEBUG=1 for details.");
            return 2;
        }
    }
}

/// <summary>A user error: the message is one sentence for the operator, never a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);

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
