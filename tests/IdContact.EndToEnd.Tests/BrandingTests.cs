using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Admin;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>One NL Design System look on every resident and agent page, in each tenant's own name, logo and colours.</summary>
public class BrandingTests(Browser browser) : IClassFixture<Browser>
{
    // Arnhem: dark green with a logo served by us; Utrecht: dark red, its desk named by the older Desk:BrandingName.
    private const string ArnhemPrimary = "rgb(13, 92, 71)";
    private const string UtrechtPrimary = "rgb(153, 0, 0)";
    private const string ExchangeKey = "desk-exchange-api-key-0123456789";

    [Fact]
    public async Task Resident_and_agent_pages_show_the_tenants_colours_and_have_no_axe_violations()
    {
        await using var server = await StartAsync();
        var resident = await NewPageAsync();

        // Test sign-in, then the test conversation with the typed details.
        await StartAsync(resident, server, "Gemeente Arnhem", "Testgesprek");
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await AssertBrandedAndCleanAsync(resident, ArnhemPrimary);
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/comm-test/**");
        await Assertions.Expect(resident.Locator("#status")).ToHaveAttributeAsync("data-status", "success");
        await AssertBrandedAndCleanAsync(resident, ArnhemPrimary);

        // Test sign-in, then the phone: the core's phone page, and a contact on the desk.
        await StartAsync(resident, server, "Gemeente Arnhem", "Bellen");
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/phone?t=*");
        var code = (await resident.Locator("#code").InnerTextAsync()).Trim();
        await AssertBrandedAndCleanAsync(resident, ArnhemPrimary);

        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, "arnhem", "anna", "Anna Agent", "201");
        Assert.True(password is not null, string.Join(" ", errors));
        var agent = await NewPageAsync();
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/login");
        await AssertBrandedAndCleanAsync(agent, ArnhemPrimary);
        await agent.GetByLabel("Gebruikersnaam").FillAsync("anna");
        await agent.GetByLabel("Wachtwoord").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        // The page to choose a password first: axe on the login page while it navigates away fails at random.
        await Assertions.Expect(agent.GetByLabel("Huidig wachtwoord")).ToBeVisibleAsync();
        await AssertBrandedAndCleanAsync(agent, ArnhemPrimary);
        await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
        await agent.GetByLabel("Nieuw wachtwoord").FillAsync("een-heel-goed-wachtwoord-42");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#contacts")).ToBeVisibleAsync();
        // The page's live connection first (the page fetches the list once connected, so a call identified before that
        // shows too, but only after the connection: at the start of a cold test run that took longer than an expectation).
        await agent.WaitForLiveAsync();
        // The exchange reports the code the resident typed: the call shows on the overview with its details.
        using var identify = new HttpRequestMessage(HttpMethod.Post, "/arnhem/exchange/identify") { Content = JsonContent.Create(new { code, call_id = "call-7" }) };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeKey);
        Assert.True((await server.Client.SendAsync(identify)).IsSuccessStatusCode);
        await Assertions.Expect(agent.Locator("article.contact .test-data")).ToHaveCountAsync(1);
        await AssertBrandedAndCleanAsync(agent, ArnhemPrimary);

        await agent.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await Assertions.Expect(agent.Locator("h1")).ToHaveTextAsync("Medewerkers beheren");
        await AssertBrandedAndCleanAsync(agent, ArnhemPrimary);
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/account");
        await Assertions.Expect(agent.Locator("#totp-state")).ToBeVisibleAsync();
        await AssertBrandedAndCleanAsync(agent, ArnhemPrimary);
    }

    [Fact]
    public async Task Each_tenants_pages_show_its_own_name_logo_and_colours_and_not_the_others()
    {
        await using var server = await StartAsync();
        var page = await NewPageAsync();

        await StartAsync(page, server, "Gemeente Arnhem", "Testgesprek");
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        var logo = page.Locator("header img.idc-logo");
        await Assertions.Expect(logo).ToHaveAttributeAsync("alt", "Arnhem Voorbeeldstad");
        Assert.True(await logo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "The logo did not load.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" })).ToHaveCSSAsync("background-color", ArnhemPrimary);
        Assert.DoesNotContain("Utrecht", await page.Locator("header").InnerTextAsync());

        await StartAsync(page, server, "Gemeente Utrecht", "Testgesprek");
        await page.WaitForPageAsync("**/utrecht/auth-test/**");
        await Assertions.Expect(page.Locator("header .idc-brand")).ToHaveTextAsync("Gemeente Utrecht");
        await Assertions.Expect(page.Locator("header img")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" })).ToHaveCSSAsync("background-color", UtrechtPrimary);

        // Agent pages: Branding:Name wins over Desk:BrandingName; without it, Desk:BrandingName still names the desk.
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/login");
        await Assertions.Expect(page.Locator("header img.idc-logo")).ToHaveAttributeAsync("alt", "Arnhem Voorbeeldstad");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" })).ToHaveCSSAsync("background-color", ArnhemPrimary);
        await page.GotoAsync(server.BaseUrl + "/utrecht/desk/login");
        await Assertions.Expect(page.Locator("header .idc-brand")).ToHaveTextAsync("KCC Utrecht");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" })).ToHaveCSSAsync("background-color", UtrechtPrimary);
        await Assertions.Expect(page.Locator("header")).ToHaveCSSAsync("background-color", UtrechtPrimary);
    }

    [Fact]
    public async Task Irma_page_keeps_its_strict_CSP_without_inline_style_and_still_gets_the_sheet_and_brand()
    {
        await using var server = await RunningServer.StartAsync(); // the embedded demo: Arnhem is green
        var page = await NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Add(message.Text);
            }
        };

        await StartAsync(page, server, "Gemeente Arnhem", "Testgesprek", auth: "Yivi");
        await page.WaitForPageAsync("**/arnhem/auth-irma/**");
        var response = await page.ReloadAsync();
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        var html = await page.ContentAsync();
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/assets/idcontact.css?v=", html, StringComparison.Ordinal);

        await Assertions.Expect(page.Locator("#irma-continue")).ToHaveCSSAsync("background-color", "rgb(29, 107, 56)");
        await Assertions.Expect(page.Locator("#irma-continue")).ToHaveCSSAsync("color", "rgb(255, 255, 255)");
        await Assertions.Expect(page.Locator("header")).ToHaveCSSAsync("background-color", "rgb(29, 107, 56)");
        Assert.Empty(refused);

        // axe is an inline script the CSP rightly refuses: it looks at the same page in a context that bypasses CSP.
        var axe = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", BypassCSP = true })).NewPageBoundedAsync();
        await axe.GotoAsync(page.Url);
        await Accessibility.AssertNoViolationsAsync(axe);
    }

    /// <summary>The header bar and primary buttons carry the tenant's primary colour (so brand.css and the sheet both loaded); then axe.</summary>
    private static async Task AssertBrandedAndCleanAsync(IPage page, string primary)
    {
        await Assertions.Expect(page.Locator("header.idc-header")).ToHaveCSSAsync("background-color", primary);
        Assert.Equal(0, await page.Locator("style, [style]").CountAsync());
        await Accessibility.AssertNoViolationsAsync(page);
    }

    private async Task<IPage> NewPageAsync() =>
        await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();

    private static async Task StartAsync(IPage page, RunningServer server, string municipality, string comm, string auth = "Testinlog")
    {
        await page.GotoAsync(server.BaseUrl + "/");
        var section = page.Locator("section", new() { HasText = municipality });
        await section.GetByLabel(auth).CheckAsync();
        await section.GetByLabel(comm).CheckAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
    }

    private static async Task<RunningServer> StartAsync()
    {
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-brand-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = Tenant("Gemeente Arnhem", "+31263770000", new
                {
                    Name = "Arnhem Voorbeeldstad",
                    LogoUrl = "/static/phone.svg",
                    PrimaryColor = "#0d5c47",
                    PrimaryTextColor = "#ffffff",
                    BackgroundColor = "#fbfbf7",
                    TextColor = "#1b1b1b",
                    LinkColor = "#0d5c47",
                }, deskName: "KCC Arnhem"),
                ["utrecht"] = Tenant("Gemeente Utrecht", "+31302860000", new { PrimaryColor = "#990000" }, deskName: "KCC Utrecht"),
            },
        }));
        return await RunningServer.StartAsync("--config", config);
    }

    private static object Tenant(string name, string phone, object branding, string deskName) => new
    {
        DisplayName = name,
        Branding = branding,
        Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "bsn" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
        AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test", ShimTelUrl = true } },
        CommMethods = new[]
        {
            new { Tag = "test", Name = "Testgesprek", ImagePath = "/static/comm-test.svg", Start = "/{tenant}/comm-test" },
            new { Tag = "phone", Name = "Bellen", ImagePath = "/static/phone.svg", Start = "/{tenant}/phone" },
        },
        Desk = new { PhoneNumber = phone, BrandingName = deskName, ExchangeApiKey = ExchangeKey },
    };
}
