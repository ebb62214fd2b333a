using IdContact.Core;
using IdContact.Hosting;
using System.Text.Json;
using IdContact.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests;

public class ServerConfigurationTests
{
    [Fact]
    public void Broken_config_stops_start_up_with_one_sentence_per_problem()
    {
        var path = WriteConfig(new
        {
            Roles = "core,teleporter",
            Core = new { PluginTimeoutSeconds = 0 },
            Tenants = new Dictionary<string, object>
            {
                ["Bad Tag"] = new
                {
                    DisplayName = "",
                    Purposes = new[] { new { Tag = "p", Attributes = Array.Empty<string>(), AllowedAuth = new[] { "ghost" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new[] { new { Tag = "a", Name = "A", Start = "ftp://x" } },
                    StarterKeys = new Dictionary<string, object> { ["k"] = new { Type = "RSA", Key = "not a pem" } },
                },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains(e.Problems, p => p.Contains("teleporter"));
        Assert.Contains(e.Problems, p => p.Contains("PluginTimeoutSeconds"));
        Assert.Contains(e.Problems, p => p.Contains("Bad Tag") && p.Contains("lower-case"));
        Assert.Contains(e.Problems, p => p.Contains("DisplayName"));
        Assert.Contains(e.Problems, p => p.Contains("'ghost' is not a configured method"));
        Assert.Contains(e.Problems, p => p.Contains("no attributes"));
        Assert.Contains(e.Problems, p => p.Contains("ftp://x"));
        Assert.Contains(e.Problems, p => p.Contains("StarterKeys:k") && p.Contains("PEM"));
        Assert.All(e.Problems, p => Assert.DoesNotContain(Environment.NewLine, p));
    }

    [Fact]
    public void Desk_refuses_guessable_codes_and_unusable_guess_limits()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new
                {
                    DisplayName = "Arnhem",
                    Desk = new
                    {
                        DtmfLength = 5,
                        WrongCodesPerCallerPerHour = 0,
                        WrongCodeAlertPerMinute = 0,
                        WebCode = new { Length = 7, LifetimeMinutes = 61, MaxLive = 0, WrongPerAddressPerHour = 0, WrongPerBrowserPerHour = 1001, Address = "arnhem .nl/id" },
                        SignIn = new { WrongPerAddressPerHour = 1001 },
                    },
                },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Desk:DtmfLength must be between 6 and 12 digits.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WrongCodesPerCallerPerHour must be between 1 and 1000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WrongCodeAlertPerMinute must be between 1 and 100000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:Length must be between 8 and 12 digits.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:LifetimeMinutes must be between 1 and 60.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:MaxLive must be between 1 and 1000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:WrongPerAddressPerHour must be between 1 and 1000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:WrongPerBrowserPerHour must be between 1 and 1000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:SignIn:WrongPerAddressPerHour must be between 1 and 1000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:WebCode:Address must be a short address without spaces (at most 100 characters), e.g. gemeente.nl/id.", e.Problems);
    }

    [Fact]
    public void Desk_refuses_retired_decryption_keys_that_do_not_load_repeat_the_current_one_or_replace_nothing()
    {
        var current = IdContact.Protocol.Keys.PrivateKey.Generate(IdContact.Protocol.Keys.KeyType.Rsa).ToConfig();
        var path = WriteConfig(new
        {
            Roles = "desk",
            Desk = new { DecryptionKey = current, PreviousDecryptionKeys = new[] { current, new() { Type = "RSA", Key = "not a key" } } },
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new { DisplayName = "Arnhem", Desk = new { PreviousDecryptionKeys = new[] { IdContact.Protocol.Keys.PrivateKey.Generate(IdContact.Protocol.Keys.KeyType.Ec).ToConfig() } } },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Desk:PreviousDecryptionKeys:0 is the current Desk:DecryptionKey.", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith("Desk:PreviousDecryptionKeys:1", StringComparison.Ordinal));
        Assert.Contains("Tenants:arnhem:Desk:PreviousDecryptionKeys needs Tenants:arnhem:Desk:DecryptionKey, the key that replaced them.", e.Problems);
        Assert.Equal(3, e.Problems.Count(p => p.Contains("PreviousDecryptionKeys", StringComparison.Ordinal)));
    }

    [Fact]
    public void Desk_refuses_an_identity_provider_without_https_client_button_text_or_a_sane_back_channel_timeout()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new { DisplayName = "Arnhem", Desk = new { SignIn = new { Oidc = new { Authority = "http://login.arnhem.example", ClientId = "", Label = "", UserClaim = "", BackchannelTimeoutSeconds = 0 } } } },
                ["zwolle"] = new { DisplayName = "Zwolle", Desk = new { SignIn = new { Oidc = new { Authority = "https://login.zwolle.example", ClientId = "desk", Label = "Zwolle-account", BackchannelTimeoutSeconds = 121 } } } },
                ["ede"] = new { DisplayName = "Ede", Desk = new { SignIn = new { Oidc = new { Authority = "https://login.ede.example", ClientId = "desk", Label = "Ede-account" } } } },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Desk:SignIn:Oidc:Authority must be the provider's https URL (http only with \"Demo\": true).", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:SignIn:Oidc:ClientId is needed: the desk's client id at the provider.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:SignIn:Oidc:Label (and LabelEn, when set) must be 1–60 characters: the button reads \"Inloggen met {Label}\".", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:SignIn:Oidc:UserClaim must name the claim that holds the agent's user name, e.g. preferred_username.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:SignIn:Oidc:BackchannelTimeoutSeconds must be between 1 and 120: how long the desk waits for the provider.", e.Problems);
        Assert.Contains("Tenants:zwolle:Desk:SignIn:Oidc:BackchannelTimeoutSeconds must be between 1 and 120: how long the desk waits for the provider.", e.Problems);
        Assert.DoesNotContain(e.Problems, p => p.Contains("Tenants:ede:Desk:SignIn", StringComparison.Ordinal));
    }

    [Fact]
    public void Desk_takes_video_opening_hours_with_several_ranges_a_day_and_refuses_overlapping_or_reversed_ones()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new
                {
                    DisplayName = "Arnhem",
                    Desk = new
                    {
                        Video = new
                        {
                            OpeningHours = new Dictionary<string, string>
                            {
                                ["monday"] = "09:00-12:00,13:00-17:00",
                                ["tuesday"] = "09:00-12:00,11:00-13:00",
                                ["wednesday"] = "13:00-09:00",
                                ["thursday"] = "09:00-17:00",
                            },
                        },
                    },
                },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Desk:Video:OpeningHours:tuesday '09:00-12:00' and '11:00-13:00' overlap.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Video:OpeningHours:wednesday '13:00-09:00' ends before it starts (ranges cannot pass midnight).", e.Problems);
        Assert.Equal(2, e.Problems.Count(p => p.Contains("OpeningHours", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(169)]
    public void Desk_refuses_a_video_reminder_outside_zero_to_a_week(int hours)
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object> { ["arnhem"] = new { DisplayName = "Arnhem", Desk = new { Video = new { ReminderHours = hours } } } },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Desk:Video:ReminderHours must be between 0 (no reminder) and 168 (a week).", e.Problems);
        Assert.Single(e.Problems, p => p.Contains("ReminderHours", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(101, 10)]
    [InlineData(2, 0)]
    [InlineData(2, 100_001)]
    public void Desk_refuses_booking_caps_out_of_range(int perEmail, int perAddress)
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object> { ["arnhem"] = new { DisplayName = "Arnhem", Desk = new { Video = new { MaxComingPerEmail = perEmail, BookingsPerAddressPerDay = perAddress } } } },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Desk:Video:MaxComingPerEmail must be between 1 and 100, BookingsPerAddressPerDay between 1 and 100000.", e.Problems);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Desk_refuses_an_audit_view_window_outside_zero_to_an_hour(int minutes)
    {
        var path = WriteConfig(new { Roles = "desk", Desk = new { AuditViewWindowMinutes = minutes } });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Equal(["Desk:AuditViewWindowMinutes must be between 0 (every view) and 60."], e.Problems);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(1441)]
    public void Desk_refuses_a_chat_hand_back_time_shorter_than_the_presence_lease_or_longer_than_a_day(int minutes)
    {
        var path = WriteConfig(new { Roles = "desk", Desk = new { Chat = new { HandBackAfterMinutes = minutes } } });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Equal(["Desk:Chat:HandBackAfterMinutes must be 0 (never) or from Desk:Chat:PresenceLeaseSeconds up to 1440 minutes."], e.Problems);
    }

    [Fact]
    public void A_website_address_must_be_https_outside_the_demo()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new { DisplayName = "Arnhem", Branding = new { WebsiteUrl = "http://www.arnhem.nl/" } },
                ["utrecht"] = new { DisplayName = "Utrecht", Branding = new { WebsiteUrl = "javascript:alert(1)" } },
                ["ede"] = new { DisplayName = "Ede", Branding = new { WebsiteUrl = "https://www.ede.nl/contact" } },
                ["lokaal"] = new { DisplayName = "Lokaal", Branding = new { WebsiteUrl = "http://localhost:5081/lokaal" } },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Equal(
        [
            "Tenants:arnhem:Branding:WebsiteUrl 'http://www.arnhem.nl/' is not an https URL (http only in demo mode or for localhost).",
            "Tenants:utrecht:Branding:WebsiteUrl 'javascript:alert(1)' is not an https URL (http only in demo mode or for localhost).",
        ], e.Problems.Where(p => p.Contains(":WebsiteUrl", StringComparison.Ordinal)));

        // The demo's stand-in municipal website is plain http; a script address stays refused there too.
        var demo = new List<string>();
        BrandingValidator.Validate("arnhem", new BrandingOptions { WebsiteUrl = "http://www.arnhem.nl/" }, demo, demo: true);
        BrandingValidator.Validate("utrecht", new BrandingOptions { WebsiteUrl = "javascript:alert(1)" }, demo, demo: true);
        Assert.Equal(["Tenants:utrecht:Branding:WebsiteUrl 'javascript:alert(1)' is not an https URL (http only in demo mode or for localhost)."], demo);
    }

    [Fact]
    public void Brand_colours_below_WCAG_AA_contrast_and_malformed_branding_stop_start_up()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new { DisplayName = "Arnhem", Branding = new { PrimaryColor = "#ffcc00", PrimaryTextColor = "#ffffff", LinkColor = "#777777" } },
                ["utrecht"] = new { DisplayName = "Utrecht", Branding = new { TextColor = "red;}body{x:y", LogoUrl = "http://logo.example/u.png" } },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Tenants:arnhem:Branding:PrimaryColor '#ffcc00' has a contrast of 1.5:1 with PrimaryTextColor '#ffffff'; WCAG 2.1 AA needs 4.5:1.", e.Problems);
        Assert.Contains("Tenants:arnhem:Branding:LinkColor '#777777' has a contrast of 4.4:1 with BackgroundColor '#ffffff'; WCAG 2.1 AA needs 4.5:1.", e.Problems);
        Assert.Contains("Tenants:utrecht:Branding:TextColor 'red;}body{x:y' is not a colour like #1a5fb4.", e.Problems);
        Assert.Contains("Tenants:utrecht:Branding:LogoUrl 'http://logo.example/u.png' is neither an https URL nor a path on this server starting with '/'.", e.Problems);
        Assert.Contains("Tenants:arnhem:Branding:PrimaryColor '#ffcc00' has a contrast of 1.5:1 with BackgroundColor '#ffffff'; WCAG 2.1 AA needs 3:1.", e.Problems);
        Assert.Equal(5, e.Problems.Count(p => p.Contains(":Branding:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Desk_refuses_unusable_chat_settings_with_one_sentence_each()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Desk = new { ChatMessagesPerMinute = 0, CoreUrl = "ftp://core", StarterKeyId = "", Chat = new { PresenceRenewSeconds = 60, PresenceLeaseSeconds = 90, MaxLineBreaks = -1 } },
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new
                {
                    DisplayName = "Arnhem",
                    Desk = new
                    {
                        Chat = new
                        {
                            MaxChatsPerAgent = 0,
                            OpeningHours = new Dictionary<string, string> { ["maandag"] = "09:00-17:00", ["tuesday"] = "17:00-09:00" },
                            ClosedDays = new[] { "25-12-2026" },
                            PurposesWithoutIdentification = new[] { "nope" },
                            QuickReplies = new[]
                            {
                                new { Label = "", Text = "Goedendag" },
                                new { Label = "Lang", Text = new string('x', 2001) },
                                new { Label = "Dubbel", Text = "Een" },
                                new { Label = "dubbel ", Text = "Twee" },
                                new { Label = "Hoog", Text = new string('\n', 21) + "x" },
                            },
                        },
                    },
                },
            },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Desk:ChatMessagesPerMinute must be between 1 and 600.", e.Problems);
        Assert.Contains("Desk:CoreUrl must be an http(s) URL.", e.Problems);
        Assert.Contains("Desk:StarterKeyId must be 1–100 characters.", e.Problems);
        Assert.Contains("Desk:Chat:PresenceLeaseSeconds must be at least twice Desk:Chat:PresenceRenewSeconds and at most 3600.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:MaxChatsPerAgent must be between 1 and 20.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:OpeningHours: 'maandag' is not an English weekday name such as \"monday\".", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:OpeningHours:tuesday '17:00-09:00' ends before it starts (ranges cannot pass midnight).", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:ClosedDays: '25-12-2026' is not a date like 2026-12-25.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:PurposesWithoutIdentification: there is no purpose 'nope'.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:QuickReplies:0:Label must be 1–60 characters.", e.Problems);
        Assert.Contains("Desk:Chat:MaxLineBreaks must be between 0 and 2000.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:QuickReplies:1:Text must be 1–2000 characters with at most Desk:Chat:MaxLineBreaks line breaks, as any chat message.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:QuickReplies:4:Text must be 1–2000 characters with at most Desk:Chat:MaxLineBreaks line breaks, as any chat message.", e.Problems);
        Assert.Contains("Tenants:arnhem:Desk:Chat:QuickReplies: the label 'Dubbel' is used twice.", e.Problems);
        Assert.DoesNotContain(e.Problems, p => p.Contains("QuickReplies:2", StringComparison.Ordinal) || p.Contains("QuickReplies:3", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("IdContact-Run", "Desk:InstallationDatabase must be 1–63 lower-case letters, digits and '_', starting with a letter.")]
    [InlineData("postgres", "Desk:InstallationDatabase: 'postgres' is PostgreSQL's own database.")]
    [InlineData("idcontact_arnhem", "Desk:InstallationDatabase: 'idcontact_arnhem' is the database of tenant 'arnhem'.")]
    public void Desk_refuses_an_installation_database_it_cannot_use(string name, string problem)
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = "Host=127.0.0.1", InstallationDatabase = name },
            Tenants = new Dictionary<string, object> { ["arnhem"] = new { DisplayName = "Arnhem" } },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains(problem, e.Problems);
        Assert.Single(e.Problems, p => p.StartsWith("Desk:InstallationDatabase", StringComparison.Ordinal));
    }

    [Fact]
    public void Desk_refuses_a_database_or_redis_connection_string_with_a_misspelt_keyword_without_echoing_it()
    {
        var path = WriteConfig(new
        {
            Roles = "desk",
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = "Host=127.0.0.1;Prot=5432;Password=geheim-wachtwoord", Redis = "127.0.0.1:6379,pasword=geheim-wachtwoord" },
            Tenants = new Dictionary<string, object> { ["arnhem"] = new { DisplayName = "Arnhem" } },
        });

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains(e.Problems, p => p.StartsWith("Desk:PostgresConnectionString is not a PostgreSQL connection string: ", StringComparison.Ordinal) && p.Contains("prot", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Desk:Redis is not a Redis connection string: ", StringComparison.Ordinal) && p.Contains("pasword", StringComparison.Ordinal));
        Assert.All(e.Problems, p => Assert.DoesNotContain("geheim-wachtwoord", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_config_file_is_named()
    {
        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", "/nonexistent/idcontact.json"]));
        Assert.Contains("/nonexistent/idcontact.json", Assert.Single(e.Problems));
    }

    [Fact]
    public void Malformed_json_config_is_a_clear_problem_not_a_crash()
    {
        var path = Path.Combine(TempDir(), "bad.json");
        File.WriteAllText(path, "{ \"Tenants\": ");
        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("bad.json", Assert.Single(e.Problems));
    }

    [Fact]
    public async Task Environment_style_keys_override_the_file()
    {
        await using var server = await RunningServer.StartAsync("--Core:PluginTimeoutSeconds", "7", "--roles", "core");
        var options = (Microsoft.Extensions.Options.IOptions<IdContact.Hosting.IdContactOptions>)server.App.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<IdContact.Hosting.IdContactOptions>))!;
        Assert.Equal(7, options.Value.Core().PluginTimeoutSeconds);
        // Only the core runs: the test plugins are not mapped.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.PostAsync("/arnhem/auth-test/start_authentication", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Client.GetAsync("/arnhem/session_options")).StatusCode);
    }

    [Fact]
    public async Task Development_keys_are_generated_once_and_reused()
    {
        var data = TempDir();
        await using (var first = await RunningServer.StartAsync("--data", data))
        {
        }

        var pem = File.ReadAllText(Path.Combine(data, "keys", "auth-signing.pem"));
        await using (var second = await RunningServer.StartAsync("--data", data))
        {
        }

        Assert.Equal(pem, File.ReadAllText(Path.Combine(data, "keys", "auth-signing.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "keys", "auth-signing.pem")));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_desk_core_url_stops_start_up_as_config_check_refuses_it(string coreUrl)
    {
        var path = WriteConfig(new { Demo = true, Roles = "desk", Desk = new { CoreUrl = coreUrl } });

        // Not taken for "absent" (this installation's PublicUrl): the same sentence config check gives.
        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", path, "--data", TempDir()]));
        Assert.Contains("Desk:CoreUrl must be an http(s) URL.", e.Problems);
        var roles = ServerRoles.Create();
        var checkedAlone = ConfigValidator.Validate(ServerConfiguration.Bind(new ConfigurationBuilder().AddJsonFile(path).Build(), roles), roles);
        Assert.Contains("Desk:CoreUrl must be an http(s) URL.", checkedAlone);
    }

    [Fact]
    public async Task Outside_demo_mode_a_missing_public_url_is_refused_by_config_check_and_warned_about_at_start_up()
    {
        var production = ProductionCore.Config();
        var roles = ServerRoles.Create();
        var check = ConfigValidator.Validate(ServerConfiguration.Bind(new ConfigurationBuilder().AddJsonFile(WriteConfig(production)).Build(), roles), roles);
        Assert.Contains(check, p => p.StartsWith("PublicUrl is missing", StringComparison.Ordinal));

        // The server itself still starts (a running installation is not stopped by an upgrade) and says where links go.
        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var logs = new CapturingLoggerProvider();
        await using (var app = IdContactServer.Build(["--config", WriteConfig(production), "--data", TempDir(), "--urls", url], l => l.AddProvider(logs)))
        {
            Assert.Contains(logs.Messages, m => m.Contains("PublicUrl is not set", StringComparison.Ordinal) && m.Contains(url, StringComparison.Ordinal));
        }

        // Given, or in demo mode: neither.
        production["PublicUrl"] = "https://idcontact.example.nl";
        var given = new CapturingLoggerProvider();
        await using (var app = IdContactServer.Build(["--config", WriteConfig(production), "--data", TempDir(), "--urls", url], l => l.AddProvider(given)))
        {
            Assert.DoesNotContain(given.Messages, m => m.Contains("PublicUrl", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(ConfigValidator.Validate(ServerConfiguration.Bind(new ConfigurationBuilder().AddJsonFile(WriteConfig(production)).Build(), roles), roles),
            p => p.StartsWith("PublicUrl", StringComparison.Ordinal));
        production.Remove("PublicUrl");
        production["Demo"] = true;
        Assert.DoesNotContain(ConfigValidator.Validate(ServerConfiguration.Bind(new ConfigurationBuilder().AddJsonFile(WriteConfig(production)).Build(), roles), roles),
            p => p.StartsWith("PublicUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_setting_is_named_at_start_up_and_an_http_public_url_stops_it()
    {
        var production = ProductionCore.Config();
        production["PublicUrl"] = "http://idcontact.example.nl";
        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--config", WriteConfig(production), "--data", TempDir()]));
        Assert.Equal(["PublicUrl 'http://idcontact.example.nl' is not https; outside demo mode residents and staff must reach IdContact over https (http only for localhost)."], e.Problems);

        // A running installation is not stopped by a setting an upgrade renamed (config check refuses it): it is named.
        production["PublicUrl"] = "https://idcontact.example.nl";
        production["Core"] = new { StateSecret = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()), StateLifetimeMinuts = 5 };
        var logs = new CapturingLoggerProvider();
        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        await using (var app = IdContactServer.Build(["--config", WriteConfig(production), "--data", TempDir(), "--urls", url], l => l.AddProvider(logs)))
        {
            Assert.Single(logs.Messages, m => m.Contains("Ignored: ", StringComparison.Ordinal));
            Assert.Contains(logs.Messages, m => m.Contains("Ignored: Core:StateLifetimeMinuts is not a setting", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_shipped_log_levels_apply_whatever_the_working_directory()
    {
        // Under systemd the working directory (the content root) is the data directory, not where appsettings.json is.
        var configuration = new ConfigurationManager();
        ServerConfiguration.AddSources(configuration, []);
        Assert.Equal("Warning", configuration["Logging:LogLevel:Microsoft.AspNetCore"]);
    }

    [Fact]
    public void The_shipped_log_levels_are_added_once_when_the_working_directory_is_the_executables()
    {
        // WebApplication.CreateBuilder adds the content root's appsettings.json; started from its own directory, that is the shipped one.
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        ServerConfiguration.AddSources(configuration, []);
        Assert.Single(configuration.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>());
    }

    [Fact]
    public void The_config_files_own_settings_come_back_to_name_the_unknown_ones_without_the_shipped_or_the_environment()
    {
        var path = WriteConfig(new { Desk = new { RetentionMinuts = 5 } });
        var configuration = new ConfigurationManager();
        var file = ServerConfiguration.AddSources(configuration, ["--config", path, "--Desk:Other", "x"]);
        Assert.NotNull(file);
        Assert.Equal("5", file["Desk:RetentionMinuts"]);
        Assert.Null(file["Logging:LogLevel:Microsoft.AspNetCore"]);
        Assert.Null(file["Desk:Other"]);
        Assert.Null(ServerConfiguration.AddSources(new ConfigurationManager(), []));
    }

    [Fact]
    public async Task A_start_that_fails_ends_the_background_services_quietly_so_the_cause_stays_the_only_error()
    {
        // The port is taken: Kestrel's bind fails after the desk's periodic services started.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        var app = IdContactServer.Build(["--data", TempDir(), "--urls", url]);
        var periodic = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Microsoft.Extensions.Hosting.BackgroundService>().ToList();
        Assert.NotEmpty(periodic);

        await Assert.ThrowsAsync<IOException>(() => app.StartAsync());
        await app.DisposeAsync();

        // Until 2026-11-28 these ended cancelled, which the host logs as a crashed service ("BackgroundService failed").
        foreach (var service in periodic)
        {
            await (service.ExecuteTask ?? Task.CompletedTask);
        }
    }

    private static string WriteConfig(object config)
    {
        var path = Path.Combine(TempDir(), "config.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "idcontact-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
