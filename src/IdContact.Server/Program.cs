using IdContact.Hosting;
using IdContact.Server;

try
{
    var app = IdContactServer.Build(args);
    app.Run();
    return 0;
}
catch (ConfigurationProblemsException e)
{
    // One sentence per problem, no stack trace: the operator fixes the config and starts again.
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e)
{
    // A start-up that failed otherwise (a database not reachable, a data directory not writable) exits with 1, which
    // systemd restarts, instead of crashing on the unhandled exception: SIGABRT, whose core dump would hold the keys.
    // One line (the framework's log above has the stack when the host had started logging); the stack on request.
    Console.Error.WriteLine(Environment.GetEnvironmentVariable("IDCONTACT_DEBUG") is { Length: > 0 }
        ? $"IdContact could not start: {e}"
        : $"IdContact could not start: {FailureText.Of(e)} (IDCONTACT_DEBUG=1 shows the stack trace.)");
    return 1;
}
