namespace IdContact.Hosting;

/// <summary>Demo mode's defaults: two demo municipalities when no tenant is configured, the fake IRMA server, plugin keys.</summary>
public static class DemoConfiguration
{
    /// <summary>Random per process: the simulator calls the exchange API with it, nobody else knows it.</summary>
    public static readonly string DemoExchangeKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Random per process: the role and its fake IRMA server share it, nobody else knows it.</summary>
    public static readonly string DemoIrmaRequestorToken = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Random per process: the core sends it to this process's plugins, which require it.</summary>
    public static readonly string DemoPluginKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static void FillMissing(IdContactOptions options)
    {
        if (options.Tenants.Count == 0)
        {
            FillDemo(options);
        }

        FillFakeIrmaServer(options);
        FillPluginKeys(options);
    }

    /// <summary>
    /// Even the demo's plugins only take start calls from its core: each role requires the demo key, and every method
    /// served by this server (a path starting with "/") sends it, unless the configuration chose keys itself.
    /// </summary>
    private static void FillPluginKeys(IdContactOptions options)
    {
        options.AuthTest.ApiKey ??= DemoPluginKey;
        options.AuthIrma.ApiKey ??= DemoPluginKey;
        options.CommTest.ApiKey ??= DemoPluginKey;
        options.Desk.ApiKey ??= DemoPluginKey;
        foreach (var tenant in options.Tenants.Values)
        {
            foreach (var method in tenant.AuthMethods.Concat<MethodOptions>(tenant.CommMethods).Where(m => m.Start.StartsWith('/')))
            {
                method.ApiKey ??= DemoPluginKey;
            }
        }
    }

    /// <summary>The fake IRMA server lives on this very server unless another ServerUrl is given.</summary>
    private static void FillFakeIrmaServer(IdContactOptions options)
    {
        var irma = options.AuthIrma;
        if (!irma.UseFakeServer)
        {
            return;
        }

        if (string.IsNullOrEmpty(irma.ServerUrl))
        {
            irma.ServerUrl = (options.PublicUrl ?? "http://127.0.0.1:5080").TrimEnd('/') + "/irma-fake";
        }

        if (string.IsNullOrEmpty(irma.RequestorToken))
        {
            irma.RequestorToken = DemoIrmaRequestorToken;
        }
    }

    private static void FillDemo(IdContactOptions options)
    {
        // The demo shows IRMA with the fake server, so it needs no IRMA server and no Yivi app.
        if (string.IsNullOrEmpty(options.AuthIrma.ServerUrl))
        {
            options.AuthIrma.UseFakeServer = true;
        }

        if (options.AuthIrma.Attributes.Count == 0)
        {
            options.AuthIrma.Attributes = new(StringComparer.Ordinal)
            {
                ["fullname"] = ["pbdf.gemeente.personalData.fullname"],
                ["birthdate"] = ["pbdf.gemeente.personalData.dateofbirth"],
                ["bsn"] = ["pbdf.gemeente.personalData.bsn"],
                ["email"] = ["pbdf.sidn-pbdf.email.email", "pbdf.pbdf.email.email"],
            };
        }

        options.Desk.ExchangeSimulator = true;
        options.Desk.SeedDemoAgents = true;
        // Two looks, so the demo shows branding per tenant; every pair passes WCAG 2.1 AA.
        options.Tenants["arnhem"] = Tenant("Gemeente Arnhem", "+31263770000", new() { PrimaryColor = "#1d6b38", LinkColor = "#1d6b38" });
        options.Tenants["utrecht"] = Tenant("Gemeente Utrecht", "+31302860000", new() { PrimaryColor = "#c00000", LinkColor = "#24578f" });
    }

    private static TenantOptions Tenant(string name, string phoneNumber, BrandingOptions branding) => new()
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
        ],
        Desk = new()
        {
            PhoneNumber = phoneNumber,
            ExternalLinkTemplate = "https://zaken.example.nl/zoeken?bsn={bsn}",
            // The demo's exchange is the simulator page on this server; its key is per demo process only.
            ExchangeApiKey = DemoExchangeKey,
            ExchangeRouteUrl = "/{tenant}/exchange-simulator/route",
        },
    };
}
