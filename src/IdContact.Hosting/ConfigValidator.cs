using System.Text.RegularExpressions;
using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>Lists every configuration problem as one plain sentence; an empty list means the config is usable.</summary>
public static partial class ConfigValidator
{
    public static List<string> Validate(IdContactOptions options)
    {
        var problems = new List<string>();
        var roles = Roles.Active(options, out var unknownRoles);
        problems.AddRange(unknownRoles.Select(r => $"Roles: '{r}' is not a role; use all, {string.Join(", ", Roles.Known)}."));
        if (roles.Count == 0)
        {
            problems.Add("Roles: no role selected.");
        }

        if (options.PublicUrl is not null && !IsHttpUrl(options.PublicUrl))
        {
            problems.Add($"PublicUrl: '{options.PublicUrl}' is not an absolute http(s) URL.");
        }

        if (options.DemoSiteUrl is { Length: > 0 } demoSite && (!IsHttpUrl(demoSite) || new Uri(demoSite).AbsolutePath != "/"))
        {
            problems.Add($"DemoSiteUrl: '{demoSite}' is not an http(s) origin like http://127.0.0.1:5081.");
        }

        if (options.Tenants.Count == 0)
        {
            problems.Add("Tenants: no municipality is configured.");
        }

        DemoOnlyParts(options, roles, problems);
        ValidateRateLimits(options, problems);
        foreach (var origin in options.TrustedOrigins.Where(o => !IsOrigin(o)))
        {
            problems.Add($"TrustedOrigins: '{origin}' is not an http(s) origin like https://plugin.example.nl.");
        }

        foreach (var (tag, tenant) in options.Tenants)
        {
            ValidateTenant(tag, tenant, problems);
        }

        if (roles.Contains(Roles.Core))
        {
            ValidateCore(options.Core, problems);
        }

        if (roles.Contains(Roles.AuthTest))
        {
            CheckApiKey("AuthTest:ApiKey", options.AuthTest.ApiKey, problems);
            CheckPrivate("AuthTest:SigningKey", options.AuthTest.SigningKey, problems);
            CheckPublic("AuthTest:EncryptionKey", options.AuthTest.EncryptionKey, problems);
        }

        if (roles.Contains(Roles.AuthIrma))
        {
            AuthIrmaValidator.Validate(options, problems);
            CheckApiKey("AuthIrma:ApiKey", options.AuthIrma.ApiKey, problems);
            CheckPrivate("AuthIrma:SigningKey", options.AuthIrma.SigningKey, problems, options.IsDemo);
            CheckPublic("AuthIrma:EncryptionKey", options.AuthIrma.EncryptionKey, problems);
        }

        if (roles.Contains(Roles.CommTest))
        {
            CheckApiKey("CommTest:ApiKey", options.CommTest.ApiKey, problems);
            CheckPrivate("CommTest:DecryptionKey", options.CommTest.DecryptionKey, problems);
            if (options.CommTest.VerificationKeys.Count == 0)
            {
                problems.Add("CommTest:VerificationKeys: at least one auth plugin public key is needed.");
            }

            for (var i = 0; i < options.CommTest.VerificationKeys.Count; i++)
            {
                CheckPublic($"CommTest:VerificationKeys:{i}", options.CommTest.VerificationKeys[i], problems);
            }
        }

        if (roles.Contains(Roles.Desk))
        {
            ValidateDesk(options, problems);
        }

        return problems;
    }

    private static void ValidateRateLimits(IdContactOptions options, List<string> problems)
    {
        foreach (var proxy in options.TrustedProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _)))
        {
            problems.Add($"TrustedProxies: '{proxy}' is not an IP address.");
        }

        var limits = options.RateLimits;
        foreach (var (name, value) in new[]
        {
            ("StartPerMinute", limits.StartPerMinute), ("PluginStartPerMinute", limits.PluginStartPerMinute),
            ("ResultPerMinute", limits.ResultPerMinute), ("ExchangePerMinute", limits.ExchangePerMinute), ("LoginPerMinute", limits.LoginPerMinute),
        }.Where(l => l.Item2 < 1))
        {
            problems.Add($"RateLimits:{name} must be at least 1.");
        }
    }

    /// <summary>Test sign-in, fakes, simulator and demo agents exist for trying the product, never for production.</summary>
    private static void DemoOnlyParts(IdContactOptions options, HashSet<string> roles, List<string> problems)
    {
        if (options.IsDemo)
        {
            return;
        }

        const string Why = "runs only with \"Demo\": true";
        foreach (var role in Roles.DemoOnly.Where(roles.Contains))
        {
            problems.Add($"Roles: the test role '{role}' {Why}; remove it from Roles for production.");
        }

        if (options.AuthIrma.UseFakeServer)
        {
            problems.Add($"AuthIrma:UseFakeServer: the fake IRMA server {Why}.");
        }

        if (options.Desk.ExchangeSimulator)
        {
            problems.Add($"Desk:ExchangeSimulator: the exchange simulator {Why}.");
        }

        if (options.Desk.SeedDemoAgents)
        {
            problems.Add($"Desk:SeedDemoAgents: demo agents are created only with \"Demo\": true.");
        }
    }

    private static void ValidateDesk(IdContactOptions options, List<string> problems)
    {
        var desk = options.Desk;
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

        if (desk.RetentionSweepSeconds is < 1 or > 3600)
        {
            problems.Add("Desk:RetentionSweepSeconds must be between 1 and 3600.");
        }

        CheckApiKey("Desk:ApiKey", desk.ApiKey, problems);
        if (desk.DecryptionKey is not null || options.Tenants.Values.Any(t => t.Desk.DecryptionKey is null))
        {
            CheckPrivate("Desk:DecryptionKey", desk.DecryptionKey, problems, options.IsDemo);
        }

        if (desk.VerificationKeys.Count == 0)
        {
            problems.Add("Desk:VerificationKeys: at least one auth plugin public key is needed.");
        }

        for (var i = 0; i < desk.VerificationKeys.Count; i++)
        {
            CheckPublic($"Desk:VerificationKeys:{i}", desk.VerificationKeys[i], problems);
        }

        foreach (var (tag, tenant) in options.Tenants)
        {
            var at = $"Tenants:{tag}:Desk";
            var usesPhone = tenant.CommMethods.Any(m => m.Start.StartsWith('/') && m.Start.TrimEnd('/').EndsWith("/phone", StringComparison.Ordinal));
            if ((usesPhone || tenant.Desk.PhoneNumber.Length > 0) && !PhonePattern().IsMatch(tenant.Desk.PhoneNumber))
            {
                problems.Add($"{at}:PhoneNumber must be an international number like +31263770000.");
            }

            if (tenant.Desk.DtmfLength is < 6 or > 12)
            {
                problems.Add($"{at}:DtmfLength must be between 6 and 12 digits.");
            }

            if (tenant.Desk.WrongCodesPerCallerPerHour is < 1 or > 1000)
            {
                problems.Add($"{at}:WrongCodesPerCallerPerHour must be between 1 and 1000.");
            }

            if (tenant.Desk.WrongCodeAlertPerMinute is < 1 or > 100_000)
            {
                problems.Add($"{at}:WrongCodeAlertPerMinute must be between 1 and 100000.");
            }

            if (tenant.Desk.DecryptionKey is not null)
            {
                CheckPrivate($"{at}:DecryptionKey", tenant.Desk.DecryptionKey, problems);
            }

            if (tenant.Desk.DtmfLifetimeMinutes is < 1 or > 120)
            {
                problems.Add($"{at}:DtmfLifetimeMinutes must be between 1 and 120.");
            }

            foreach (var origin in tenant.Desk.EmbedOrigins.Where(o => !IsHttpUrl(o)))
            {
                problems.Add($"{at}:EmbedOrigins: '{origin}' is not an http(s) origin.");
            }

            if (tenant.Desk.ExchangeApiKey is { Length: < 16 })
            {
                problems.Add($"{at}:ExchangeApiKey must be at least 16 characters.");
            }

            if (tenant.Desk.ExchangeRouteUrl is { } route && !route.StartsWith('/') && !IsHttpUrl(route.Replace("{tenant}", "t", StringComparison.Ordinal)))
            {
                problems.Add($"{at}:ExchangeRouteUrl is neither an http(s) URL nor a path starting with '/'.");
            }
        }
    }

    private static void ValidateCore(CoreOptions core, List<string> problems)
    {
        if (core.PluginTimeoutSeconds is < 1 or > 300)
        {
            problems.Add("Core:PluginTimeoutSeconds must be between 1 and 300.");
        }

        if (core.StateLifetimeMinutes is < 1 or > 1440)
        {
            problems.Add("Core:StateLifetimeMinutes must be between 1 and 1440.");
        }

        if (string.IsNullOrEmpty(core.StateSecret) || !IsLongBase64(core.StateSecret))
        {
            problems.Add("Core:StateSecret must be base64 of at least 32 random bytes.");
        }

        foreach (var origin in core.AllowedOrigins.Where(o => !IsHttpUrl(o)))
        {
            problems.Add($"Core:AllowedOrigins: '{origin}' is not an http(s) origin.");
        }
    }

    private static void ValidateTenant(string tag, TenantOptions tenant, List<string> problems)
    {
        var at = $"Tenants:{tag}";
        if (!TagPattern().IsMatch(tag))
        {
            problems.Add($"{at}: the tag must be lower-case letters, digits and '-' (it is a URL path segment).");
        }

        if (string.IsNullOrWhiteSpace(tenant.DisplayName))
        {
            problems.Add($"{at}:DisplayName is empty.");
        }

        BrandingValidator.Validate(tag, tenant.Branding, problems);

        var authTags = CheckMethods($"{at}:AuthMethods", tenant.AuthMethods, problems);
        var commTags = CheckMethods($"{at}:CommMethods", tenant.CommMethods, problems);
        var purposeTags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var purpose in tenant.Purposes)
        {
            var p = $"{at}:Purposes:{purpose.Tag}";
            if (string.IsNullOrWhiteSpace(purpose.Tag) || !purposeTags.Add(purpose.Tag))
            {
                problems.Add($"{at}:Purposes: purpose tag '{purpose.Tag}' is empty or used twice.");
            }

            if (purpose.Attributes.Count == 0)
            {
                problems.Add($"{p}:Attributes: no attributes are requested.");
            }

            CheckAllowed($"{p}:AllowedAuth", purpose.AllowedAuth, authTags, problems);
            CheckAllowed($"{p}:AllowedComm", purpose.AllowedComm, commTags, problems);
        }

        foreach (var (kid, key) in tenant.StarterKeys)
        {
            CheckPublic($"{at}:StarterKeys:{kid}", key, problems);
        }
    }

    private static HashSet<string> CheckMethods(string at, IEnumerable<MethodOptions> methods, List<string> problems)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            if (string.IsNullOrWhiteSpace(method.Tag) || !tags.Add(method.Tag))
            {
                problems.Add($"{at}: method tag '{method.Tag}' is empty or used twice.");
            }

            if (string.IsNullOrWhiteSpace(method.Name))
            {
                problems.Add($"{at}:{method.Tag}:Name is empty.");
            }

            if (!method.Start.StartsWith('/') && !IsHttpUrl(method.Start.Replace("{tenant}", "t", StringComparison.Ordinal)))
            {
                problems.Add($"{at}:{method.Tag}:Start '{method.Start}' is neither an http(s) URL nor a path starting with '/'.");
            }

            CheckApiKey($"{at}:{method.Tag}:ApiKey", method.ApiKey, problems);
        }

        return tags;
    }

    private static void CheckAllowed(string at, List<string> allowed, HashSet<string> known, List<string> problems)
    {
        if (allowed.Count == 0)
        {
            problems.Add($"{at}: no method allowed; list tags or \"*\".");
        }

        foreach (var tag in allowed.Where(t => t != "*" && !known.Contains(t)))
        {
            problems.Add($"{at}: '{tag}' is not a configured method.");
        }
    }

    private static void CheckApiKey(string at, string? key, List<string> problems)
    {
        if (key is not null && key.Trim().Length < 16)
        {
            problems.Add($"{at} must be at least 16 characters (a long random secret).");
        }
    }

    private static void CheckPrivate(string at, KeyConfig? key, List<string> problems, bool demoMode = true) =>
        CheckKey(at, key, problems, k => PrivateKey.Load(k), demoMode);

    private static void CheckPublic(string at, KeyConfig? key, List<string> problems) =>
        CheckKey(at, key, problems, k => PublicKey.Load(k));

    private static void CheckKey(string at, KeyConfig? key, List<string> problems, Action<KeyConfig> load, bool demoMode = true)
    {
        if (key is null)
        {
            // Outside demo mode nothing is generated: say so, or an operator looks for the key in the data folder.
            problems.Add(demoMode ? $"{at} is missing." : $"{at} is missing; keys are generated only with \"Demo\": true.");
            return;
        }

        try
        {
            load(key);
        }
        catch (KeyLoadException e)
        {
            problems.Add($"{at}: {e.Message}");
        }
    }

    internal static bool IsOrigin(string value) =>
        IsHttpUrl(value) && new Uri(value).AbsolutePath == "/" && string.IsNullOrEmpty(new Uri(value).Query);

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsLongBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32;
    }

    [GeneratedRegex(@"^\+[0-9]{6,15}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex TagPattern();
}
