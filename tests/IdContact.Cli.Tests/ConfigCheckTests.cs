using System.Text.Json;

namespace IdContact.Cli.Tests;

public sealed class ConfigCheckTests : CliTestBase
{
    [Fact]
    public void Config_check_accepts_a_core_config_with_generated_keys()
    {
        var starter = Path.Combine(Dir, "starter");
        Assert.Equal(0, Run("keygen", "--type", "ec", "--out", starter).Code);
        var path = WriteJson("core.json", CoreConfig(File.ReadAllText(Path.Combine(starter, "public.pem"))));

        var (code, output, error) = Run("config", "check", "--config", path);
        Assert.True(code == 0, error);
        Assert.Equal("Configuration OK", output.Trim());
        Assert.Equal("", error);
    }

    [Fact]
    public void Config_check_accepts_test_plugin_keys_made_by_keygen()
    {
        var (auth, comm) = Keys("rsa", "ec");
        var config = CoreConfig(null);
        config["Roles"] = "core,auth-test";
        config["Demo"] = true;
        config["AuthTest"] = new
        {
            SigningKey = new { type = "RSA", key = File.ReadAllText(Path.Combine(auth, "private.pem")) },
            EncryptionKey = new { type = "EC", key = File.ReadAllText(Path.Combine(comm, "public.pem")) },
        };
        var (code, _, error) = Run("config", "check", "--config", WriteJson("good.json", config));
        Assert.True(code == 0, error);

        // The same file with the keys swapped: the private key where a public one belongs and vice versa.
        config["AuthTest"] = new
        {
            SigningKey = new { type = "EC", key = File.ReadAllText(Path.Combine(comm, "public.pem")) },
            EncryptionKey = new { type = "RSA", key = File.ReadAllText(Path.Combine(auth, "private.pem")) },
        };
        var swapped = Run("config", "check", "--config", WriteJson("swapped.json", config));
        Assert.Equal(1, swapped.Code);
        var problems = Lines(swapped.Error);
        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p.StartsWith("AuthTest:SigningKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AuthTest:EncryptionKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_check_lists_every_problem_of_a_broken_file_one_per_line()
    {
        var path = WriteJson("bad.json", new
        {
            Roles = "core,auth-test,teleport",
            Core = new { PluginTimeoutSeconds = 0 },
            Tenants = new Dictionary<string, object>
            {
                ["Arnhem!"] = new
                {
                    DisplayName = "",
                    Purposes = new[] { new { Tag = "report_move", Attributes = Array.Empty<string>(), AllowedAuth = new[] { "digid" }, AllowedComm = new[] { "*" } } },
                },
            },
        });
        var (code, output, error) = Run("config", "check", "--config", path);
        Assert.Equal(1, code);
        Assert.DoesNotContain("Configuration OK", output);
        var problems = Lines(error);
        Assert.True(problems.Length >= 8, error);
        Assert.Contains(problems, p => p.Contains("'teleport' is not a role", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Core:PluginTimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Core:StateSecret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("AuthTest:SigningKey is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DisplayName", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'digid' is not a configured method", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no attributes", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_check_names_a_missing_malformed_or_mistyped_file_in_one_line()
    {
        var cases = new (string Name, string? Text, string Expected)[]
        {
            ("nope.json", null, "does not exist"),
            ("broken.json", "{ not json", "not valid JSON"),
            ("empty.json", "", "not valid JSON"),
            ("array.json", "[1, 2]", "not valid JSON"),
            ("typed.json", """{ "Core": { "PluginTimeoutSeconds": "ten" } }""", "Core:PluginTimeoutSeconds"),
        };
        foreach (var (name, text, expected) in cases)
        {
            var path = Path.Combine(Dir, name);
            if (text is not null)
            {
                File.WriteAllText(path, text);
            }

            var (code, output, error) = Run("config", "check", "--config", path);
            Assert.True(code == 1, name);
            Assert.Equal("", output);
            Assert.Single(Lines(error));
            Assert.Contains(expected, error);
        }

        var directory = Run("config", "check", "--config", Dir);
        Assert.Equal(1, directory.Code);
        Assert.Contains("is a directory", directory.Error);
    }

    [Fact]
    public void Config_check_reads_the_environment_only_when_asked()
    {
        var starter = Path.Combine(Dir, "starter");
        Assert.Equal(0, Run("keygen", "--type", "rsa", "--out", starter).Code);
        var config = CoreConfig(File.ReadAllText(Path.Combine(starter, "public.pem")), "RSA");
        config["Core"] = new { PluginTimeoutSeconds = 10 }; // the secret comes from the environment in this deployment
        var path = WriteJson("env.json", config);

        const string variable = "Core__StateSecret";
        Environment.SetEnvironmentVariable(variable, Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray()));
        try
        {
            var fileOnly = Run("config", "check", "--config", path);
            Assert.Equal(1, fileOnly.Code);
            Assert.Contains("Core:StateSecret", fileOnly.Error);
            Assert.Equal(0, Run("config", "check", "--config", path, "--environment").Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void The_server_reads_the_file_named_by_the_ConfigFile_variable_as_by_config_the_command_line_winning()
    {
        // Tests in this assembly run one at a time, so the process environment is this test's alone.
        var fromEnvironment = WriteJson("env-named.json", new { Desk = new { RetentionMinuts = 5 } });
        var fromCommandLine = WriteJson("cli-named.json", new { Desk = new { RetentionMinuts = 7 } });
        Environment.SetEnvironmentVariable("ConfigFile", fromEnvironment);
        try
        {
            // Its settings are loaded, and come back alone to name the unknown ones, as with --config.
            var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
            var file = IdContact.Server.ServerConfiguration.AddSources(configuration, []);
            Assert.NotNull(file);
            Assert.Equal("5", file["Desk:RetentionMinuts"]);
            Assert.Equal("5", configuration["Desk:RetentionMinuts"]);

            var overridden = new Microsoft.Extensions.Configuration.ConfigurationManager();
            Assert.Equal("7", IdContact.Server.ServerConfiguration.AddSources(overridden, ["--config", fromCommandLine])!["Desk:RetentionMinuts"]);
            Assert.Equal("7", overridden["Desk:RetentionMinuts"]);

            // The same refusals as --config: a missing file, one that is no JSON, a directory.
            Environment.SetEnvironmentVariable("ConfigFile", Path.Combine(Dir, "missing.json"));
            var missing = Assert.Throws<IdContact.Server.ConfigurationProblemsException>(() => IdContact.Server.ServerConfiguration.AddSources(new(), []));
            Assert.Contains("does not exist", Assert.Single(missing.Problems));
            var broken = Path.Combine(Dir, "broken-named.json");
            File.WriteAllText(broken, "{ not json");
            Environment.SetEnvironmentVariable("ConfigFile", broken);
            Assert.Contains("not valid JSON", Assert.Single(Assert.Throws<IdContact.Server.ConfigurationProblemsException>(() => IdContact.Server.ServerConfiguration.AddSources(new(), [])).Problems));
            Environment.SetEnvironmentVariable("ConfigFile", Dir);
            Assert.Contains("is a directory", Assert.Single(Assert.Throws<IdContact.Server.ConfigurationProblemsException>(() => IdContact.Server.ServerConfiguration.AddSources(new(), [])).Problems));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConfigFile", null);
        }
    }

    [Fact]
    public void Config_check_names_a_misspelt_setting_instead_of_ignoring_it()
    {
        var config = CoreConfig(null);
        config["Core"] = new { StateSecret = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()), PluginTimeoutSecond = 5 };
        config["Dsek"] = new { RetentionMinutes = 5 };
        // Names as the binder takes them (capitals ignored) and the host's own sections are no mistake.
        config["roles"] = config["Roles"];
        config.Remove("Roles");
        config["Logging"] = new { LogLevel = new { Default = "Warning" } };
        var tenants = (Dictionary<string, object>)config["Tenants"];
        var arnhem = (Dictionary<string, object>)tenants["arnhem"];
        arnhem["Brandig"] = new { Name = "Arnhem" };
        arnhem["Purposes"] = new[] { new { Tag = "report_move", Name = "Verhuizing", Attributes = new[] { "email" }, AllowedAuth = new[] { "digid" }, AllowedComm = new[] { "*" }, AllowedCom = new[] { "chat" } } };

        var (code, output, error) = Run("config", "check", "--config", WriteJson("misspelt.json", config));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
        [
            "Core:PluginTimeoutSecond is not a setting (misspelt, or from another version?); remove or correct it (docs/operations.md lists every setting).",
            "Dsek is not a setting (misspelt, or from another version?); remove or correct it (docs/operations.md lists every setting).",
            "Tenants:arnhem:Brandig is not a setting (misspelt, or from another version?); remove or correct it (docs/operations.md lists every setting).",
            "Tenants:arnhem:Purposes:0:AllowedCom is not a setting (misspelt, or from another version?); remove or correct it (docs/operations.md lists every setting).",
        ], Lines(error));
    }

    [Fact]
    public void Config_check_refuses_a_public_url_without_https_outside_the_demo()
    {
        var config = CoreConfig(null);
        config["PublicUrl"] = "http://idcontact.example.nl";
        var (code, _, error) = Run("config", "check", "--config", WriteJson("http.json", config));
        Assert.Equal(1, code);
        Assert.Equal(["PublicUrl 'http://idcontact.example.nl' is not https; outside demo mode residents and staff must reach IdContact over https (http only for localhost)."], Lines(error));

        config["PublicUrl"] = "http://127.0.0.1:5080";
        Assert.Equal(0, Run("config", "check", "--config", WriteJson("loopback.json", config)).Code);
        config["PublicUrl"] = "http://idcontact.example.nl";
        config["Demo"] = true;
        Assert.Equal(0, Run("config", "check", "--config", WriteJson("demo.json", config)).Code);
    }

    [Fact]
    public void Config_check_says_so_when_a_key_or_certificate_is_given_as_a_file_path()
    {
        var config = CoreConfig(null);
        config["DataProtection"] = new { Certificate = "/etc/idcontact/dp/certificate.pem", Key = "/etc/idcontact/dp/key.pem" };
        var tenants = (Dictionary<string, object>)config["Tenants"];
        ((Dictionary<string, object>)tenants["arnhem"])["StarterKeys"] = new Dictionary<string, object> { ["chat-1"] = new { type = "EC", key = "keys/starter/public.pem" } };

        var (code, _, error) = Run("config", "check", "--config", WriteJson("paths.json", config));
        Assert.Equal(1, code);
        var problems = Lines(error);
        Assert.Contains(problems, p => p.StartsWith("DataProtection:", StringComparison.Ordinal) && p.EndsWith("It looks like a file path: put the file's PEM text itself in the configuration.", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Tenants:arnhem:StarterKeys:chat-1", StringComparison.Ordinal) && p.EndsWith("It looks like a file path: put the file's PEM text itself in the configuration.", StringComparison.Ordinal));
    }

    private static Dictionary<string, object> CoreConfig(string? starterKeyPem, string starterKeyType = "EC")
    {
        var tenant = new Dictionary<string, object>
        {
            ["DisplayName"] = "Gemeente Arnhem",
            ["Purposes"] = new[] { new { Tag = "report_move", Name = "Verhuizing", Attributes = new[] { "email", "fullname" }, AllowedAuth = new[] { "digid" }, AllowedComm = new[] { "*" } } },
            ["AuthMethods"] = new[] { new { Tag = "digid", Name = "DigiD", ImagePath = "/static/digid.svg", Start = "https://auth.example.nl" } },
            ["CommMethods"] = new[] { new { Tag = "chat", Name = "Chat", ImagePath = "/static/chat.svg", Start = "https://chat.example.nl" } },
        };
        if (starterKeyPem is not null)
        {
            tenant["StarterKeys"] = new Dictionary<string, object> { ["chat-1"] = new { type = starterKeyType, key = starterKeyPem } };
        }

        return new Dictionary<string, object>
        {
            ["Roles"] = "core",
            ["PublicUrl"] = "https://idcontact.example.nl",
            ["Core"] = new { StateSecret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
            ["Tenants"] = new Dictionary<string, object> { ["arnhem"] = tenant },
        };
    }

    private string WriteJson(string name, object value)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, JsonSerializer.Serialize(value));
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
