using System.CommandLine;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.Extensions.Configuration;

namespace IdContact.Cli;

/// <summary><c>config check --config FILE</c>: every problem of a production configuration, strictly.</summary>
public static class ConfigCommands
{
    public static Command Create(CliIo io)
    {
        var file = new Option<string>("--config") { Description = "the JSON configuration file", Required = true };
        var check = new Command("check", "List every problem of a configuration file (strict: no generated keys, no demo tenants).") { file };
        check.SetAction(parse =>
        {
            var problems = Check(parse.GetValue(file)!);
            if (problems.Count == 0)
            {
                io.Out.WriteLine("Configuration OK");
                return 0;
            }

            foreach (var problem in problems)
            {
                io.Error.WriteLine(problem);
            }

            return 1;
        });
        return new Command("config", "Configuration tools.") { check };
    }

    public static List<string> Check(string path)
    {
        try
        {
            return ConfigValidator.Validate(Load(path));
        }
        catch (ConfigurationProblemsException e)
        {
            return [.. e.Problems];
        }
    }

    /// <summary>Binds a configuration file as the server does, without filling in anything.</summary>
    public static IdContactOptions Load(string path)
    {
        var builder = new ConfigurationManager(); // loads each source as it is added, so a bad file fails here
        ServerConfiguration.AddSources(builder, ["--config", path]);
        return ServerConfiguration.Bind(builder);
    }
}
