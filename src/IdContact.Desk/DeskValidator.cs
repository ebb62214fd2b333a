using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Hosting;

namespace IdContact.Desk;

/// <summary>The checks of section "Desk" and of each municipality's "Tenants:{tag}:Desk", when the desk runs.</summary>
internal static partial class DeskValidator
{
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

        if (desk.RetentionSweepSeconds is < 1 or > 3600)
        {
            problems.Add("Desk:RetentionSweepSeconds must be between 1 and 3600.");
        }

        ConfigChecks.ApiKey("Desk:ApiKey", desk.ApiKey, problems);
        if (desk.DecryptionKey is not null || options.Tenants.Values.Any(t => t.Desk().DecryptionKey is null))
        {
            ConfigChecks.PrivateKey("Desk:DecryptionKey", desk.DecryptionKey, problems, options.IsDemo);
        }

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

        foreach (var (tag, tenant) in options.Tenants)
        {
            var at = $"Tenants:{tag}:Desk";
            ChatValidator.Validate(at + ":Chat", tenant, problems);
            var usesPhone = tenant.CommMethods.Any(m => ConfigChecks.ServedHere(m, "/phone"));
            if ((usesPhone || tenant.Desk().PhoneNumber.Length > 0) && !PhonePattern().IsMatch(tenant.Desk().PhoneNumber))
            {
                problems.Add($"{at}:PhoneNumber must be an international number like +31263770000.");
            }

            if (tenant.Desk().DtmfLength is < 6 or > 12)
            {
                problems.Add($"{at}:DtmfLength must be between 6 and 12 digits.");
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

            if (tenant.Desk().ExchangeRouteUrl is { } route && !route.StartsWith('/') && !ConfigChecks.IsHttpUrl(route.Replace("{tenant}", "t", StringComparison.Ordinal)))
            {
                problems.Add($"{at}:ExchangeRouteUrl is neither an http(s) URL nor a path starting with '/'.");
            }
        }
    }

    [GeneratedRegex(@"^\+[0-9]{6,15}$")]
    private static partial Regex PhonePattern();
}
