namespace IdContact.Hosting;

/// <summary>
/// Demo mode's shared defaults: two demo municipalities when none is configured, and the plugin key our core sends to
/// the plugins on this server. Each role adds its own demo defaults (<see cref="IRole.FillDefaults"/>).
/// </summary>
public static class DemoConfiguration
{
    /// <summary>Random per process: the simulator calls the exchange API with it, nobody else knows it.</summary>
    public static readonly string DemoExchangeKey = NewSecret();

    /// <summary>Random per process: the role and its fake IRMA server share it, nobody else knows it.</summary>
    public static readonly string DemoIrmaRequestorToken = NewSecret();

    /// <summary>Random per process: the core sends it to this process's plugins, which require it.</summary>
    public static readonly string DemoPluginKey = NewSecret();

    public static void FillMissing(IdContactOptions options)
    {
        if (options.Tenants.Count == 0)
        {
            // Two looks, so the demo shows branding per tenant; every pair passes WCAG 2.1 AA.
            options.Tenants["arnhem"] = Tenant("Gemeente Arnhem", new() { PrimaryColor = "#1d6b38", LinkColor = "#1d6b38" });
            options.Tenants["utrecht"] = Tenant("Gemeente Utrecht", new() { PrimaryColor = "#c00000", LinkColor = "#24578f" });
            options.EmbeddedDemo = true;
            options.Metrics.Enabled ??= true;
        }

        // The demo's municipal website (README "Starting from a municipal website") is where its residents come from.
        if (options.EmbeddedDemo && options.DemoSiteUrl is { Length: > 0 } site)
        {
            foreach (var (tag, tenant) in options.Tenants)
            {
                tenant.Branding.WebsiteUrl ??= $"{site.TrimEnd('/')}/{tag}";
            }
        }

        // Even the demo's plugins take start calls only from its core: every method served by this server sends the
        // demo key (each role requires it), unless the configuration chose keys itself.
        foreach (var tenant in options.Tenants.Values)
        {
            foreach (var method in tenant.AuthMethods.Concat<MethodOptions>(tenant.CommMethods).Where(m => m.Start.StartsWith('/')))
            {
                method.ApiKey ??= DemoPluginKey;
            }
        }
    }

    private static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private static TenantOptions Tenant(string name, BrandingOptions branding) => new()
    {
        DisplayName = name,
        Branding = branding,
        Purposes =
        [
            new() { Tag = "report_move", Name = "Verhuizing doorgeven", NameEn = "Report a move", Attributes = ["fullname", "birthdate", "email"], AllowedAuth = ["*"], AllowedComm = ["*"] },
            new() { Tag = "request_passport", Name = "Paspoort aanvragen", NameEn = "Apply for a passport", Attributes = ["fullname", "birthdate", "bsn"], AllowedAuth = ["*"], AllowedComm = ["*"] },
        ],
        AuthMethods =
        [
            new() { Tag = "test", Name = "Testinlog", NameEn = "Test sign-in", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test", ShimTelUrl = true },
            new() { Tag = "irma", Name = "Yivi", NameEn = "Yivi", ImagePath = "/static/irma.svg", Start = "/{tenant}/auth-irma", ShimTelUrl = true },
        ],
        CommMethods =
        [
            new() { Tag = "test", Name = "Testgesprek", NameEn = "Test conversation", ImagePath = "/static/comm-test.svg", Start = "/{tenant}/comm-test" },
            new() { Tag = "phone", Name = "Bellen", NameEn = "Phone", ImagePath = "/static/phone.svg", Start = "/{tenant}/phone" },
            new() { Tag = "chat", Name = "Chatten", NameEn = "Chat", ImagePath = "/static/chat.svg", Start = "/{tenant}/chat" },
            new() { Tag = "video", Name = "Videobellen", NameEn = "Video call", ImagePath = "/static/video.svg", Start = "/{tenant}/video" },
        ],
    };
}
