using IdContact.Desk;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Roles.Tests;

/// <summary>Test sign-in, fakes, simulator, demo agents and generated keys exist only in demo mode (issue 8.2).</summary>
public class DemoModeTests
{
    [Fact]
    public void Outside_demo_mode_every_demo_only_part_stops_start_up_with_a_sentence_naming_its_setting()
    {
        var path = Config(new
        {
            Roles = "core,auth-test,comm-test,auth-irma,desk",
            AuthIrma = new { UseFakeServer = true },
            Desk = new { ExchangeSimulator = true, SeedDemoAgents = true },
            Tenants = new Dictionary<string, object> { ["arnhem"] = Tenant() },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", Dir()]));

        Assert.Contains("Roles: the test role 'auth-test' runs only with \"Demo\": true; remove it from Roles for production.", e.Problems);
        Assert.Contains("Roles: the test role 'comm-test' runs only with \"Demo\": true; remove it from Roles for production.", e.Problems);
        Assert.Contains("AuthIrma:UseFakeServer: the fake IRMA server runs only with \"Demo\": true.", e.Problems);
        Assert.Contains("Desk:ExchangeSimulator: the exchange simulator runs only with \"Demo\": true.", e.Problems);
        Assert.Contains("Desk:SeedDemoAgents: demo agents are created only with \"Demo\": true.", e.Problems);
    }

    [Fact]
    public void Outside_demo_mode_no_key_is_generated_and_the_missing_key_is_named()
    {
        var data = Dir();
        var path = Config(new { Roles = "all", Tenants = new Dictionary<string, object> { ["arnhem"] = Tenant() } });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", data]));

        Assert.Contains("Desk:DecryptionKey is missing; keys are generated only with \"Demo\": true.", e.Problems);
        Assert.False(File.Exists(Path.Combine(data, "keys", "auth-signing.pem")));
        Assert.False(File.Exists(Path.Combine(data, "keys", "comm-decryption.pem")));
    }

    [Fact]
    public void Roles_all_brings_the_test_roles_only_in_demo_mode()
    {
        static List<IRole> Active(IdContactOptions options) => RoleSet.Active(options, ServerRoles.Create(), out _);
        var production = Active(new IdContactOptions { Roles = "all" });
        Assert.False(production.Contains("auth-test"));
        Assert.False(production.Contains("comm-test"));
        Assert.True(production.Contains("desk"));

        var demo = Active(new IdContactOptions { Roles = "all", Demo = true });
        Assert.True(demo.Contains("auth-test"));
        Assert.True(demo.Contains("comm-test"));
    }

    [Fact]
    public async Task The_embedded_default_is_demo_mode_and_its_generated_trusted_key_is_marked_as_a_test_key()
    {
        await using var server = await RunningServer.StartAsync();
        var options = (Microsoft.Extensions.Options.IOptions<IdContactOptions>)server.App.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<IdContactOptions>))!;
        Assert.True(options.Value.IsDemo);
        var key = Assert.Single(options.Value.Desk().VerificationKeys);
        Assert.True(key.Test);
    }

    [Fact]
    public async Task The_embedded_demo_seeds_a_data_protection_officer_per_municipality_with_a_one_time_password_in_the_demo_file()
    {
        await using var server = await RunningServer.StartAsync();
        var file = await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "demo-agents.txt"));
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        foreach (var tenant in new[] { "arnhem", "utrecht" })
        {
            var password = Regex.Match(file, $"^{tenant}: user 'demo-fg', password '([^']+)' \\(data protection officer", RegexOptions.Multiline).Groups[1].Value;
            Assert.NotEmpty(password);
            await using var identity = new OfflineIdentity(databases, tenant);
            var officer = await identity.Users.FindByNameAsync(DemoAgents.OfficerUserName);
            Assert.NotNull(officer);
            Assert.Equal([AgentAuthorization.PrivacyRole], await identity.Users.GetRolesAsync(officer));
            Assert.True(await identity.Users.CheckPasswordAsync(officer, password));
            Assert.True(officer.MustChangePassword); // one-time: the officer chooses their own at first sign-in
        }

        // The administrator's line is unchanged, so the start page still finds its password.
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        Assert.Equal(["arnhem", "utrecht"], DemoAgents.ReadPasswords(options).Keys.Order());

        // The start page, opened on this machine, offers the officer's account beside the administrator's.
        var start = await server.Client.GetStringAsync("/");
        var officers = DemoAgents.ReadPasswords(options, DemoAgents.OfficerUserName);
        Assert.Equal(["arnhem", "utrecht"], officers.Keys.Order());
        Assert.All(officers.Values, p => Assert.Contains($"<strong>demo-fg</strong>, eenmalig wachtwoord <code>{p}</code>", start));
        // What the officer can open: both of their pages, as the staff menu shows them.
        Assert.Contains("Functionaris gegevensbescherming (alleen het inzage-log en de beheeracties): <strong>demo-fg</strong>", start);
        Assert.DoesNotContain(officers["arnhem"], DemoAgents.ReadPasswords(options)["arnhem"]);
    }

    [Fact]
    public async Task The_start_page_stops_showing_a_demo_password_once_it_was_changed()
    {
        await using var server = await RunningServer.StartAsync();
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var admin = DemoAgents.ReadPasswords(options)["arnhem"];
        var officer = DemoAgents.ReadPasswords(options, DemoAgents.OfficerUserName)["arnhem"];
        Assert.Contains($"<code>{officer}</code>", await server.Client.GetStringAsync("/"));

        // The officer chooses their own at first sign-in; an administrator resets the demo administrator's.
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        await using (var identity = new OfflineIdentity(databases, "arnhem"))
        {
            var fg = (await identity.Users.FindByNameAsync(DemoAgents.OfficerUserName))!;
            Assert.True((await identity.Users.ChangePasswordAsync(fg, officer, "een-eigen-wachtwoord-fg-2026")).Succeeded);
            var demo = (await identity.Users.FindByNameAsync("demo"))!;
            Assert.True((await identity.Users.ChangePasswordAsync(demo, admin, "een-eigen-wachtwoord-demo-2026")).Succeeded);
        }

        var start = await server.Client.GetStringAsync("/");
        Assert.DoesNotContain(officer, start);
        Assert.DoesNotContain(admin, start);
        Assert.Contains("met het wachtwoord dat bij de eerste keer is gekozen", start);
        Assert.Contains("met het wachtwoord dat u koos", start);

        // The other municipality's accounts are untouched and still shown.
        Assert.Contains($"<code>{DemoAgents.ReadPasswords(options)["utrecht"]}</code>", start);
        Assert.Contains($"<code>{DemoAgents.ReadPasswords(options, DemoAgents.OfficerUserName)["utrecht"]}</code>", start);
    }

    [Fact]
    public void The_sample_production_config_is_not_in_demo_mode_and_offers_no_test_login()
    {
        var sample = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "idcontact.sample.json"));
        using var json = JsonDocument.Parse(sample, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.False(json.RootElement.TryGetProperty("Demo", out var demo) && demo.GetBoolean());
        Assert.DoesNotContain("auth-test", sample, StringComparison.Ordinal);
        Assert.DoesNotContain("\"UseFakeServer\": true", sample, StringComparison.Ordinal);
        foreach (var tenant in json.RootElement.GetProperty("Tenants").EnumerateObject())
        {
            Assert.All(tenant.Value.GetProperty("CommMethods").EnumerateArray().Concat(tenant.Value.GetProperty("AuthMethods").EnumerateArray()), method =>
                Assert.True(method.TryGetProperty("ApiKey", out _), $"{method.GetProperty("Tag")} has no ApiKey"));
        }
    }

    private static object Tenant() => new
    {
        DisplayName = "Gemeente Arnhem",
        Purposes = new[] { new { Tag = "p", Name = "P", Attributes = new[] { "fullname" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
        AuthMethods = new[] { new { Tag = "irma", Name = "Yivi", Start = "https://irma.example/{tenant}/auth-irma" } },
        CommMethods = new[] { new { Tag = "phone", Name = "Bellen", Start = "/{tenant}/phone" } },
        Desk = new { PhoneNumber = "+31263770000" },
    };

    private static string Config(object config)
    {
        var path = Path.Combine(Dir(), "config.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private static string Dir() => Directory.CreateTempSubdirectory("idcontact-demo-mode-").FullName;

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
