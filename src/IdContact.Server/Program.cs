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
    Console.Error.WriteLine($"IdContact could not start: {e}");
    return 1;
}
