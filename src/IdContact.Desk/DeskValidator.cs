using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Desk;

/// <summary>The checks of section "Desk" and of each municipality's "Tenants:{tag}:Desk", when the desk runs.</summary>
internal static partial class DeskValidator
{
    /// <summary>A misspelt keyword ("Prot=5432") is refused here, not met as an exception when the first instance starts.</summary>
    private static void ConnectionStringChecks(DeskOptions desk, List<string> problems)
    {
        if (desk.DatabaseProvider == "Postgres" && !string.IsNullOrWhiteSpace(desk.PostgresConnectionString))
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(desk.PostgresConnectionString);
            }
            catch (ArgumentException e)
            {
                // The builder's own words name the keyword ("Couldn't set prot"), never the password.
                problems.Add($"Desk:PostgresConnectionString is not a PostgreSQL connection string: {e.Message}");
            }
        }

        if (!string.IsNullOrWhiteSpace(desk.Redis))
        {
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(desk.Redis);
            }
            catch (ArgumentException e)
            {
                problems.Add($"Desk:Redis is not a Redis connection string: {e.Message}");
            }
        }
    }

    public static void Validate(IdContactOptions options, List<string> problems)
    {
        var desk = options.Desk();
        if (desk.DatabaseProvider is not ("Sqlite" or "Postgres"))
        {
            problems.Add("Desk:DatabaseProvider must be \"Sqlite\" or \"Postgres\".");
        }
        else if (desk.DatabaseProvider == "Postgres" && string.IsNullOrWhiteSpace(desk.PostgresConnectionString))
        {
            problems.Add("Desk:PostgresConnectionString is needed with the Postgres provider.");
        }

        if (desk.DatabaseProvider == "Postgres")
        {
            InstallationDatabaseChecks(options, problems);
        }

        ConnectionStringChecks(desk, problems);

        if (desk.RetentionMinutes is < 1 or > 24 * 60)
        {
            problems.Add("Desk:RetentionMinutes must be between 1 and 1440.");
        }

        if (desk.AgentRefreshSeconds is < 1 or > 3600)
        {
            problems.Add("Desk:AgentRefreshSeconds must be between 1 and 3600.");
        }

        if (desk.AuditRetentionDays is < 1 or > 3650)
        {
            problems.Add("Desk:AuditRetentionDays must be between 1 and 3650.");
        }

        if (desk.AuditViewWindowMinutes is < 0 or > 60)
        {
            problems.Add("Desk:AuditViewWindowMinutes must be between 0 (every view) and 60.");
        }

        if (desk.RetentionSweepSeconds is < 1 or > 3600)
        {
            problems.Add("Desk:RetentionSweepSeconds must be between 1 and 3600.");
        }

        if (desk.HubRecheckSeconds is < 1 or > 300)
        {
            problems.Add("Desk:HubRecheckSeconds must be between 1 and 300.");
        }

        ConfigChecks.ApiKey("Desk:ApiKey", desk.ApiKey, problems);
        if (desk.DecryptionKey is not null || options.Tenants.Values.Any(t => t.Desk().DecryptionKey is null))
        {
            ConfigChecks.PrivateKey("Desk:DecryptionKey", desk.DecryptionKey, problems, options.IsDemo);
        }

        PreviousKeys("Desk", desk.DecryptionKey, desk.PreviousDecryptionKeys, problems);

        ConfigChecks.PublicKeys("Desk:VerificationKeys", desk.VerificationKeys, problems);
        if (!options.IsDemo && desk.ExchangeSimulator)
        {
            problems.Add("Desk:ExchangeSimulator: the exchange simulator runs only with \"Demo\": true.");
        }

        if (!options.IsDemo && desk.SeedDemoAgents)
        {
            problems.Add("Desk:SeedDemoAgents: demo agents are created only with \"Demo\": true.");
        }

        if (desk.StarterKey is not null)
        {
            ConfigChecks.PrivateKey("Desk:StarterKey", desk.StarterKey, problems, options.IsDemo);
        }

        if (string.IsNullOrWhiteSpace(desk.StarterKeyId) || desk.StarterKeyId.Length > 100)
        {
            problems.Add("Desk:StarterKeyId must be 1–100 characters.");
        }

        if (desk.CoreUrl is { } core && !ConfigChecks.IsHttpUrl(core))
        {
            problems.Add("Desk:CoreUrl must be an http(s) URL.");
        }

        if (desk.ChatMessagesPerMinute is < 1 or > 600)
        {
            problems.Add("Desk:ChatMessagesPerMinute must be between 1 and 600.");
        }

        if (desk.Chat.PresenceRenewSeconds is < 1 or > 300)
        {
            problems.Add("Desk:Chat:PresenceRenewSeconds must be between 1 and 300.");
        }
        else if (desk.Chat.PresenceLeaseSeconds < 2 * desk.Chat.PresenceRenewSeconds || desk.Chat.PresenceLeaseSeconds > 3600)
        {
            problems.Add("Desk:Chat:PresenceLeaseSeconds must be at least twice Desk:Chat:PresenceRenewSeconds and at most 3600.");
        }

        if (desk.Chat.ResidentGoneSeconds is < 1 or > 300)
        {
            problems.Add("Desk:Chat:ResidentGoneSeconds must be between 1 and 300.");
        }

        if (desk.Chat.HandBackAfterMinutes != 0 && (desk.Chat.HandBackAfterMinutes * 60 < desk.Chat.PresenceLeaseSeconds || desk.Chat.HandBackAfterMinutes > 1440))
        {
            problems.Add("Desk:Chat:HandBackAfterMinutes must be 0 (never) or from Desk:Chat:PresenceLeaseSeconds up to 1440 minutes.");
        }

        if (desk.Chat.MaxLineBreaks is < 0 or > ChatRules.MaxLength)
        {
            problems.Add($"Desk:Chat:MaxLineBreaks must be between 0 and {ChatRules.MaxLength}.");
        }

        MailChecks(options, problems);
        CallChecks(options.Desk().Video, problems);
        foreach (var (tag, tenant) in options.Tenants)
        {
            var at = $"Tenants:{tag}:Desk";
            ChatValidator.Validate(at + ":Chat", tenant, Math.Clamp(desk.Chat.MaxLineBreaks, 0, ChatRules.MaxLength), problems);
            var usesPhone = tenant.CommMethods.Any(m => ConfigChecks.ServedHere(m, "/phone"));
            if ((usesPhone || tenant.Desk().PhoneNumber.Length > 0) && !PhonePattern().IsMatch(tenant.Desk().PhoneNumber))
            {
                problems.Add($"{at}:PhoneNumber must be an international number like +31263770000.");
            }

            if (tenant.Desk().DtmfLength is < 6 or > 12)
            {
                problems.Add($"{at}:DtmfLength must be between 6 and 12 digits.");
            }

            WebCodeChecks(at + ":WebCode", tenant.Desk().WebCode, problems);
            OidcChecks(at + ":SignIn:Oidc", tenant.Desk().SignIn.Oidc, options.IsDemo, problems);
            if (tenant.Desk().SignIn.WrongPerAddressPerHour is < 1 or > 1000)
            {
                problems.Add($"{at}:SignIn:WrongPerAddressPerHour must be between 1 and 1000.");
            }

            if (tenant.Desk().WrongCodesPerCallerPerHour is < 1 or > 1000)
            {
                problems.Add($"{at}:WrongCodesPerCallerPerHour must be between 1 and 1000.");
            }

            if (tenant.Desk().WrongCodeAlertPerMinute is < 1 or > 100_000)
            {
                problems.Add($"{at}:WrongCodeAlertPerMinute must be between 1 and 100000.");
            }

            if (tenant.Desk().DecryptionKey is not null)
            {
                ConfigChecks.PrivateKey($"{at}:DecryptionKey", tenant.Desk().DecryptionKey, problems);
            }

            PreviousKeys(at, tenant.Desk().DecryptionKey, tenant.Desk().PreviousDecryptionKeys, problems);

            if (tenant.Desk().DtmfLifetimeMinutes is < 1 or > 120)
            {
                problems.Add($"{at}:DtmfLifetimeMinutes must be between 1 and 120.");
            }

            foreach (var origin in tenant.Desk().EmbedOrigins.Where(o => !ConfigChecks.IsHttpUrl(o)))
            {
                problems.Add($"{at}:EmbedOrigins: '{origin}' is not an http(s) origin.");
            }

            if (tenant.Desk().ExchangeApiKey is { Length: < 16 })
            {
                problems.Add($"{at}:ExchangeApiKey must be at least 16 characters.");
            }

            VideoChecks(at, tenant, options, problems);

            if (tenant.Desk().ExchangeRouteUrl is { } route && !route.StartsWith('/') && !ConfigChecks.IsHttpUrl(route.Replace("{tenant}", "t", StringComparison.Ordinal)))
            {
                problems.Add($"{at}:ExchangeRouteUrl is neither an http(s) URL nor a path starting with '/'.");
            }
        }
    }

    /// <summary>The municipality's identity provider: a real https issuer outside demo mode, a client and a button text.</summary>
    private static void OidcChecks(string at, SignIn.OidcSignInOptions? oidc, bool demo, List<string> problems)
    {
        if (oidc is null)
        {
            return;
        }

        if (!ConfigChecks.IsHttpUrl(oidc.Authority) || (!demo && !oidc.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{at}:Authority must be the provider's https URL (http only with \"Demo\": true).");
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            problems.Add($"{at}:ClientId is needed: the desk's client id at the provider.");
        }

        if (string.IsNullOrWhiteSpace(oidc.Label) || oidc.Label.Length > 60 || oidc.LabelEn is { Length: 0 or > 60 })
        {
            problems.Add($"{at}:Label (and LabelEn, when set) must be 1–60 characters: the button reads \"Inloggen met {{Label}}\".");
        }

        if (string.IsNullOrWhiteSpace(oidc.UserClaim))
        {
            problems.Add($"{at}:UserClaim must name the claim that holds the agent's user name, e.g. preferred_username.");
        }

        if (oidc.BackchannelTimeoutSeconds is < 1 or > 120)
        {
            problems.Add($"{at}:BackchannelTimeoutSeconds must be between 1 and 120: how long the desk waits for the provider.");
        }
    }

    private static void VideoChecks(string at, TenantOptions tenant, IdContactOptions options, List<string> problems)
    {
        var video = tenant.Desk().Video;
        var usesVideo = tenant.CommMethods.Any(m => ConfigChecks.ServedHere(m, "/video"));
        foreach (var (day, hours) in video.OpeningHours)
        {
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out _) || int.TryParse(day, out _))
            {
                problems.Add($"{at}:Video:OpeningHours: '{day}' is not a weekday (Monday … Sunday).");
            }
            else if (OpeningRanges.Problem(hours, out _) is { } problem)
            {
                problems.Add($"{at}:Video:OpeningHours:{day} {problem}.");
            }
        }

        foreach (var day in video.ClosedDays.Where(d => !DateOnly.TryParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)))
        {
            problems.Add($"{at}:Video:ClosedDays: '{day}' is not a date like 2026-12-25.");
        }

        if (video.SlotMinutes is < 5 or > 240)
        {
            problems.Add($"{at}:Video:SlotMinutes must be between 5 and 240.");
        }

        if (video.Agents is < 1 or > 100)
        {
            problems.Add($"{at}:Video:Agents must be between 1 and 100.");
        }

        if (video.BookDays is < 0 or > 90)
        {
            problems.Add($"{at}:Video:BookDays must be between 0 and 90.");
        }

        if (video.LinkOpensMinutesBefore is < 0 or > 24 * 60 || video.GraceMinutes is < 0 or > 24 * 60)
        {
            problems.Add($"{at}:Video:LinkOpensMinutesBefore and GraceMinutes must be between 0 and 1440.");
        }

        if (video.BookingPageMinutes is < 5 or > 24 * 60)
        {
            problems.Add($"{at}:Video:BookingPageMinutes must be between 5 and 1440.");
        }

        if (video.ReminderHours is < 0 or > 168)
        {
            problems.Add($"{at}:Video:ReminderHours must be between 0 (no reminder) and 168 (a week).");
        }

        if (video.MaxComingPerEmail is < 1 or > 100 || video.BookingsPerAddressPerDay is < 1 or > 100_000)
        {
            problems.Add($"{at}:Video:MaxComingPerEmail must be between 1 and 100, BookingsPerAddressPerDay between 1 and 100000.");
        }

        if (usesVideo && !options.IsDemo && string.IsNullOrWhiteSpace(options.Desk().Mail.Host))
        {
            problems.Add($"{at}: the video method sends e-mail, so Desk:Mail:Host is needed (only the demo writes .eml files instead).");
        }
    }

    /// <summary>Retired keys must load, follow a current key, and not repeat it (a copy would open nothing new).</summary>
    private static void PreviousKeys(string at, KeyConfig? current, List<KeyConfig> previous, List<string> problems)
    {
        if (previous.Count > 0 && current is null)
        {
            problems.Add($"{at}:PreviousDecryptionKeys needs {at}:DecryptionKey, the key that replaced them.");
        }

        for (var i = 0; i < previous.Count; i++)
        {
            ConfigChecks.PrivateKey($"{at}:PreviousDecryptionKeys:{i}", previous[i], problems);
            if (current is not null && Pem(previous[i]) == Pem(current))
            {
                problems.Add($"{at}:PreviousDecryptionKeys:{i} is the current {at}:DecryptionKey.");
            }
        }
    }

    private static string Pem(KeyConfig key) => string.Concat((key.Key ?? "").Where(c => !char.IsWhiteSpace(c)));

    private static void MailChecks(IdContactOptions options, List<string> problems)
    {
        var mail = options.Desk().Mail;
        if (string.IsNullOrWhiteSpace(mail.Host))
        {
            return;
        }

        if (mail.Port is < 1 or > 65535)
        {
            problems.Add("Desk:Mail:Port must be between 1 and 65535.");
        }

        if (mail.UseTls && mail.StartTls)
        {
            problems.Add("Desk:Mail: set UseTls (TLS from the start, port 465) or StartTls, not both.");
        }

        if (string.IsNullOrWhiteSpace(mail.From) || !MimeKit.MailboxAddress.TryParse(mail.From, out _))
        {
            problems.Add("Desk:Mail:From must be a sender address, e.g. \"Gemeente Arnhem <noreply@arnhem.nl>\".");
        }

        if (!string.IsNullOrEmpty(mail.UserName) && string.IsNullOrEmpty(mail.Password))
        {
            problems.Add("Desk:Mail:Password is needed with Desk:Mail:UserName.");
        }
    }

    private static void CallChecks(Video.VideoCallOptions call, List<string> problems)
    {
        if (call.StunUrls.Any(u => !u.StartsWith("stun:", StringComparison.Ordinal) && !u.StartsWith("stuns:", StringComparison.Ordinal)))
        {
            problems.Add("Desk:Video:StunUrls must start with stun: or stuns:.");
        }

        if (call.TurnUrls.Any(u => !u.StartsWith("turn:", StringComparison.Ordinal) && !u.StartsWith("turns:", StringComparison.Ordinal)))
        {
            problems.Add("Desk:Video:TurnUrls must start with turn: or turns:.");
        }

        if (call.TurnUrls.Count > 0 && (call.TurnSecret is null || call.TurnSecret.Length < 16))
        {
            problems.Add("Desk:Video:TurnSecret (coturn's static-auth-secret, at least 16 characters) is needed with TurnUrls.");
        }

        if (call.TurnCredentialMinutes is < 1 or > 24 * 60)
        {
            problems.Add("Desk:Video:TurnCredentialMinutes must be between 1 and 1440.");
        }

        if (call.SignalsPerMinute is < 10 or > 10_000 || call.MaxSignalLength is < 1000 or > 30_000)
        {
            problems.Add("Desk:Video:SignalsPerMinute must be between 10 and 10000, MaxSignalLength between 1000 and 30000.");
        }
    }

    [GeneratedRegex(@"^\+[0-9]{6,15}$")]
    private static partial Regex PhonePattern();

    /// <summary>
    /// The installation database's name goes into CREATE DATABASE unquoted, as the tenants' idcontact_{tag} do: a plain
    /// lower-case identifier, no tenant's database, and none of PostgreSQL's own.
    /// </summary>
    private static void InstallationDatabaseChecks(IdContactOptions options, List<string> problems)
    {
        var name = options.Desk().InstallationDatabase;
        if (name is null || !DatabaseNamePattern().IsMatch(name))
        {
            problems.Add("Desk:InstallationDatabase must be 1–63 lower-case letters, digits and '_', starting with a letter.");
        }
        else if (name is "postgres" or "template0" or "template1")
        {
            problems.Add($"Desk:InstallationDatabase: '{name}' is PostgreSQL's own database.");
        }
        else if (options.Tenants.Keys.FirstOrDefault(t => Tenants.TenantDatabases.DatabaseName(t) == name) is { } tenant)
        {
            problems.Add($"Desk:InstallationDatabase: '{name}' is the database of tenant '{tenant}'.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();

    private static void WebCodeChecks(string at, Phone.WebCodeOptions code, List<string> problems)
    {
        if (code.Length is < 8 or > 12)
        {
            problems.Add($"{at}:Length must be between 8 and 12 digits.");
        }

        if (code.LifetimeMinutes is < 1 or > 60)
        {
            problems.Add($"{at}:LifetimeMinutes must be between 1 and 60.");
        }

        if (code.MaxLive is < 1 or > 1000)
        {
            problems.Add($"{at}:MaxLive must be between 1 and 1000.");
        }

        if (code.WrongPerAddressPerHour is < 1 or > 1000)
        {
            problems.Add($"{at}:WrongPerAddressPerHour must be between 1 and 1000.");
        }

        if (code.WrongPerBrowserPerHour is < 1 or > 1000)
        {
            problems.Add($"{at}:WrongPerBrowserPerHour must be between 1 and 1000.");
        }

        if (code.Address is { } address && (address.Length is 0 or > 100 || address.Any(char.IsWhiteSpace)))
        {
            problems.Add($"{at}:Address must be a short address without spaces (at most 100 characters), e.g. gemeente.nl/id.");
        }
    }
}
