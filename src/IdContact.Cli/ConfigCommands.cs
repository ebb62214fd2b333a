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

    /// <summary>Every problem of the file, one sentence each; empty when the configuration is usable.</summary>
    public static List<string> Check(string path, bool withEnvironment = false)
    {
        try
        {
            var roles = ServerRoles.Create();
            var options = Load(path, roles, withEnvironment);
            return [.. ServerConfiguration.UnknownSettingsIn(path, roles), .. ConfigValidator.Validate(options, roles)];
        }
        catch (ConfigurationProblemsException e)
        {
            return [.. e.Problems];
        }
    }

    /// <summary>
    /// Binds the file (and, when asked, the environment) exactly as <see cref="ServerConfiguration.Bind"/> does,
    /// without filling in demo tenants or development keys.
    /// </summary>
    public static IdContactOptions Load(string path, IReadOnlyList<IRole> roles, bool withEnvironment = false)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ConfigurationProblemsException([$"The config file '{full}' is a directory."]);
        }

        if (!File.Exists(full))
        {
            throw new ConfigurationProblemsException([$"The config file '{full}' does not exist."]);
        }

        var builder = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false);
        if (withEnvironment)
        {
            builder.AddEnvironmentVariables();
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (InvalidDataException e)
        {
            // The JSON reader's own message carries the line and byte position.
            var reason = e.InnerException?.InnerException?.Message ?? e.InnerException?.Message ?? e.Message;
            throw new ConfigurationProblemsException([$"The config file '{full}' is not valid JSON: {reason}"]);
        }

        return ServerConfiguration.Bind(configuration, roles);
    }
}
