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
