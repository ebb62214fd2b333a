using System.Text.RegularExpressions;

namespace IdContact.Hosting;

/// <summary>
/// Lists every configuration problem as one plain sentence; an empty list means the config is usable. The shared
/// settings are checked here, each running role checks its own (<see cref="IRole.Validate"/>).
/// </summary>
public static partial class ConfigValidator
{
    /// <param name="publicUrlGiven">False when the server filled PublicUrl from its --urls address (it warns about that itself).</param>
    public static List<string> Validate(IdContactOptions options, IReadOnlyList<IRole> known, bool publicUrlGiven = true)
    {
        var problems = new List<string>();
        var roles = RoleSet.Active(options, known, out var unknownRoles);
        problems.AddRange(unknownRoles.Select(r => $"Roles: '{r}' is not a role; use all, {string.Join(", ", known.Select(k => k.Name))}."));
        if (roles.Count == 0)
        {
            problems.Add("Roles: no role selected.");
        }

        if (options.PublicUrl is not null && !ConfigChecks.IsHttpUrl(options.PublicUrl))
        {
            problems.Add($"PublicUrl: '{options.PublicUrl}' is not an absolute http(s) URL.");
        }
        else if (string.IsNullOrEmpty(options.PublicUrl) && !options.IsDemo)
        {
            // The server would fall back to its first --urls address (behind a proxy, 127.0.0.1): every e-mailed link,
            // attr_url and sign-in callback would point there.
            problems.Add("PublicUrl is missing; outside demo mode set it to the https address residents and staff use (e.g. https://idcontact.gemeente.nl).");
        }
        else if (publicUrlGiven && !options.IsDemo && options.PublicUrl is { } url && !BrandingValidator.IsWebsiteUrl(url, demo: false))
        {
            // Outside the demo cookies are Secure and HSTS is on: an http address breaks agents' sign-in and e-mailed links.
            problems.Add($"PublicUrl '{url}' is not https; outside demo mode residents and staff must reach IdContact over https (http only for localhost).");
        }

        if (options.DemoSiteUrl is { Length: > 0 } demoSite && (!ConfigChecks.IsHttpUrl(demoSite) || new Uri(demoSite).AbsolutePath != "/"))
        {
            problems.Add($"DemoSiteUrl: '{demoSite}' is not an http(s) origin like http://127.0.0.1:5081.");
        }

        if (options.Tenants.Count == 0)
        {
            problems.Add("Tenants: no municipality is configured.");
        }

        if (!options.IsDemo)
        {
            foreach (var role in roles.Where(r => r.DemoOnly))
            {
                problems.Add($"Roles: the test role '{role.Name}' runs only with \"Demo\": true; remove it from Roles for production.");
            }
        }

        ValidateRateLimits(options, problems);
        options.DataProtection.Validate(problems);
        foreach (var origin in options.TrustedOrigins.Where(o => !ConfigChecks.IsOrigin(o)))
        {
            problems.Add($"TrustedOrigins: '{origin}' is not an http(s) origin like https://plugin.example.nl.");
        }

        foreach (var (tag, tenant) in options.Tenants)
        {
            ValidateTenant(tag, tenant, options.IsDemo, problems);
        }

        foreach (var role in roles)
        {
            role.Validate(options, problems);
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
            ("BookingPerMinute", limits.BookingPerMinute), ("WebCodePagePerMinute", limits.WebCodePagePerMinute),
            ("PhoneStatusPerMinute", limits.PhoneStatusPerMinute), ("ResidentConnectionPerMinute", limits.ResidentConnectionPerMinute),
        }.Where(l => l.Item2 < 1))
        {
            problems.Add($"RateLimits:{name} must be at least 1.");
        }
    }

    private static void ValidateTenant(string tag, TenantOptions tenant, bool demo, List<string> problems)
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

        BrandingValidator.Validate(tag, tenant.Branding, problems, demo);

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
            ConfigChecks.PublicKey($"{at}:StarterKeys:{kid}", key, problems);
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

            if (!method.Start.StartsWith('/') && !ConfigChecks.IsHttpUrl(method.Start.Replace("{tenant}", "t", StringComparison.Ordinal)))
            {
                problems.Add($"{at}:{method.Tag}:Start '{method.Start}' is neither an http(s) URL nor a path starting with '/'.");
            }

            ConfigChecks.ApiKey($"{at}:{method.Tag}:ApiKey", method.ApiKey, problems);
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

    /// <summary>A municipality's or method's tag: lower-case letters, digits and '-' (a URL path segment).</summary>
    public static bool IsTag(string tag) => TagPattern().IsMatch(tag);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex TagPattern();
}
