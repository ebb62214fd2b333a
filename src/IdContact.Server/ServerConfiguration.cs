using IdContact.Hosting;
using Microsoft.Extensions.Configuration;

namespace IdContact.Server;

/// <summary>Reads standard .NET configuration (JSON file, environment with __, command line) into <see cref="IdContactOptions"/>.</summary>
public static class ServerConfiguration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--roles"] = "Roles",
        ["--data"] = "DataDirectory",
        ["--config"] = "ConfigFile",
    };

    /// <returns>The settings of the operator's config file alone (null without one), to name the unknown ones.</returns>
    /// <remarks>The file is named by <c>--config</c> or the environment variable <c>ConfigFile</c>.</remarks>
    public static IConfiguration? AddSources(ConfigurationManager configuration, string[] args)
    {
        // The shipped log levels lie next to the executable; the framework looks in the content root, the working
        // directory, which under systemd is the data directory. The operator's file and the environment still win.
        // When the content root is the executable's directory, the framework has added the file already.
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(shipped) && !Added(configuration, shipped))
        {
            configuration.AddJsonFile(shipped, optional: true, reloadOnChange: false);
        }

        IConfigurationRoot? file = null;
        // Named with --config or in the environment (ConfigFile=…, as a systemd unit may); the command line wins.
        var configFile = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args, SwitchMappings).Build()["ConfigFile"];
        if (!string.IsNullOrEmpty(configFile))
        {
            file = ReadFile(configFile);
            // Its values as read, not AddConfiguration: a chained configuration reads an empty value ("CoreUrl": "") as
            // absent, which would hide it from the checks that refuse it.
            configuration.AddInMemoryCollection(file.AsEnumerable());
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args, SwitchMappings);
        return file;
    }

    private static bool Added(ConfigurationManager configuration, string path) =>
        configuration.Sources.OfType<FileConfigurationSource>()
            .Any(s => s.Path is not null && s.FileProvider?.GetFileInfo(s.Path).PhysicalPath is { } added && Path.GetFullPath(added) == Path.GetFullPath(path));

    /// <summary>An operator's config file, read once (the server's <c>--config</c> and <c>config check</c> alike).</summary>
    public static IConfigurationRoot ReadFile(string path)
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

        try
        {
            return new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException e)
        {
            // The JSON reader's own message carries the line and byte position.
            var reason = e.InnerException?.InnerException?.Message ?? e.InnerException?.Message ?? e.Message;
            throw new ConfigurationProblemsException([$"The config file '{full}' is not valid JSON: {reason}"]);
        }
    }

    /// <summary>Binds, fills the defaults (in demo mode: demo tenants, development keys) and validates.</summary>
    public static IdContactOptions Load(IConfiguration configuration, IReadOnlyList<IRole> roles)
    {
        var options = Bind(configuration, roles);
        var publicUrlGiven = !string.IsNullOrEmpty(options.PublicUrl);
        if (!publicUrlGiven)
        {
            options.PublicUrl = PublicUrlFrom(configuration["urls"]);
        }

        // The embedded default (no municipality configured) is the demo; a real configuration says so itself.
        if (options.Demo is null && options.Tenants.Count == 0)
        {
            options.Demo = true;
        }

        DevelopmentKeys? developmentKeys = null;
        if (options.IsDemo)
        {
            DemoConfiguration.FillMissing(options);
            developmentKeys = new DevelopmentKeys(options.DataDirectory);
            if (!options.DataProtection.IsSet)
            {
                options.DataProtection = developmentKeys.KeyRing();
            }
        }

        foreach (var role in roles)
        {
            role.FillDefaults(options, developmentKeys);
        }

        var problems = ConfigValidator.Validate(options, roles, publicUrlGiven);
        return problems.Count > 0 ? throw new ConfigurationProblemsException(problems) : options;
    }

    /// <summary>Binds the shared settings and every role's own, filling nothing in: what <c>config check</c> judges.</summary>
    public static IdContactOptions Bind(IConfiguration configuration, IReadOnlyList<IRole> roles)
    {
        var options = new IdContactOptions();
        try
        {
            configuration.Bind(options);
            foreach (var role in roles)
            {
                role.Bind(configuration, options);
            }
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationProblemsException([e.Message]);
        }

        return options;
    }

    private static string PublicUrlFrom(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return DefaultUrl;
        }

        // A wildcard bind address is not a URL anyone can open; local access is the honest default.
        return first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);
    }
}
