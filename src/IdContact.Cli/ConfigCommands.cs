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
        var file = new Option<string>("--config") { Description = "the JSON configuration file", HelpName = "FILE.json", Required = true };
        var environment = new Option<bool>("--environment")
        {
            Description = "also apply environment variables (e.g. Core__StateSecret) on top of the file, as the server does",
        };
        var check = new Command("check", "List every problem of a configuration file (strict: no generated keys, no demo tenants).") { file, environment };
        check.SetAction(parse =>
        {
            var problems = Check(parse.GetValue(file)!, parse.GetValue(environment));
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

    /// <summary>
    /// Every problem of the file, one sentence each; empty when the configuration is usable. The file (with the
    /// environment, when asked) is bound exactly as <see cref="ServerConfiguration.Bind"/> does, without filling in demo
    /// tenants or development keys; unknown settings are looked for in the file alone.
    /// </summary>
    public static List<string> Check(string path, bool withEnvironment = false)
    {
        try
        {
            var roles = ServerRoles.Create();
            var file = ServerConfiguration.ReadFile(path);
            var options = ServerConfiguration.Bind(withEnvironment ? new ConfigurationBuilder().AddConfiguration(file).AddEnvironmentVariables().Build() : file, roles);
            var problems = ConfigValidator.Validate(options, roles);
            // Pairs of keys are compared only once each key loads on its own.
            return [.. UnknownSettings.Find(file, roles), .. problems, .. problems.Count == 0 ? ResultKeyChecks.Problems(options) : []];
        }
        catch (ConfigurationProblemsException e)
        {
            return [.. e.Problems];
        }
    }
}
