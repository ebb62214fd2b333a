using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Admin;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class PhoneFlowTests(Browser browser) : IClassFixture<Browser>
{
    private const string ExchangeKey = "desk-exchange-api-key-0123456789";

    [Fact]
    public async Task Resident_phones_in_and_the_agent_sees_takes_and_loses_the_call_live()
    {
        await using var exchange = await FakeExchange.StartAsync();
        var config = await ConfigFileAsync(exchange.RouteUrl);
        await using var server = await RunningServer.StartAsync("--config", config);
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, "arnhem", "anna", "Anna Agent", "201");
        Assert.True(password is not null, string.Join(" ", errors));

        // The agent signs in, chooses her own password, and waits on the overview.
        var agentContext = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var agent = await agentContext.NewPageBoundedAsync();
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await agent.GetByLabel("Gebruikersnaam").FillAsync("anna");
        await agent.GetByLabel("Wachtwoord").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
        await agent.GetByLabel("Nieuw wachtwoord").FillAsync("een-heel-goed-wachtwoord-42");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("h1")).ToHaveTextAsync("Binnenkomende contacten");
        await Assertions.Expect(agent.Locator("#contacts")).ToContainTextAsync("Geen binnenkomende contacten");
        // Live before the exchange's call is pushed: a push before the page is in its tenant's group is lost.
        await agent.WaitForLiveAsync();

        // The resident identifies with the test login and gets the number and code.
        var resident = await ResidentGetsCodeAsync(server);
        var code = (await resident.Locator("#code").InnerTextAsync()).Trim();
        var phoneStatus = resident.GetByRole(AriaRole.Status);

        // The exchange reports the code the caller typed; the agent's page shows the call without reload.
        var matched = await Exchange(server, "identify", new { code, call_id = "call-42" });
        Assert.Equal("matched", matched.GetProperty("result").GetString());
        // The resident's page follows without a reload: the code was used and the data passed on, said politely.
        await Assertions.Expect(phoneStatus).ToHaveTextAsync(
            "Uw gegevens zijn doorgegeven aan de medewerker. U kunt deze pagina sluiten.", new() { Timeout = 30_000 });
        await Assertions.Expect(phoneStatus).ToHaveAttributeAsync("aria-live", "polite");
        // This municipality has no Branding:WebsiteUrl: no way back is offered, and none to an address of anyone's choosing.
        await Assertions.Expect(resident.GetByRole(AriaRole.Link, new() { Name = "Terug naar de website" })).ToHaveCountAsync(0);
        await Assertions.Expect(resident).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/arnhem/phone\\?t="));
        var call = agent.Locator("article.contact");
        await Assertions.Expect(call).ToContainTextAsync("Fatima <script>alert(1)</script> El Amrani");
        await Assertions.Expect(call).ToContainTextAsync("Verhuizing doorgeven");
        await Assertions.Expect(call.Locator("th", new() { HasText = "BSN" })).ToBeVisibleAsync();
        // Typed in at the test sign-in: marked as unproven, and no link into the municipality's own system.
        await Assertions.Expect(call.Locator(".test-data")).ToContainTextAsync("Testgegevens — niet bewezen");
        await Assertions.Expect(call.GetByRole(AriaRole.Link, new() { Name = "Open in zaaksysteem" })).ToHaveCountAsync(0);
        await Assertions.Expect(call.Locator(".external-withheld")).ToContainTextAsync("niet beschikbaar bij testgegevens");
        Assert.Equal(0, await agent.Locator("article.contact script").CountAsync());
        // The queue panel above the list says who waits longest, live, and offers to take that caller.
        var queue = agent.GetByRole(AriaRole.Region, new() { Name = "Wachtrij" });
        await Assertions.Expect(queue).ToContainTextAsync("Telefoon: 1 beller wacht, sinds");
        await Assertions.Expect(queue.GetByRole(AriaRole.Button, new() { Name = "Langst wachtende beller aannemen" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        // The per-call page an agent workspace embeds shows this call only.
        var perCall = await agent.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/contacts?call=call-42");
        Assert.Contains("El Amrani", await perCall.TextAsync());
        Assert.DoesNotContain("El Amrani", await (await agent.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/contacts?call=other")).TextAsync());
        var callPage = await agent.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/calls/call-42");
        Assert.Equal("frame-ancestors 'self'", callPage.Headers["content-security-policy"]);
        Assert.False(callPage.Headers.ContainsKey("x-frame-options"), "framing is decided by frame-ancestors alone");

        // Taking the call asks the exchange to route it to the agent's extension.
        await call.GetByRole(AriaRole.Button, new() { Name = "Gesprek aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(agent.Locator(".notice[role=status]")).ToContainTextAsync("doorgeschakeld");
        var route = Assert.Single(exchange.Routes);
        Assert.Equal("Bearer " + FakeExchange.ApiKey, route.Authorization);
        var routed = JsonDocument.Parse(route.Body).RootElement;
        Assert.Equal("call-42", routed.GetProperty("call_id").GetString());
        Assert.Equal("201", routed.GetProperty("extension").GetString());
        await Assertions.Expect(call).ToContainTextAsync("Aangenomen door Anna Agent");
        await Assertions.Expect(queue).ToContainTextAsync("Telefoon: niemand wacht.");

        // The call ends: the contact disappears from the agent's page without reload.
        await Exchange(server, "ended", new { call_id = "call-42" });
        await Assertions.Expect(agent.Locator("article.contact")).ToHaveCountAsync(0);

        // Every reveal was audited (who, when, which session), never with the values; the session is gone.
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        var audit = await db.Audit.AsNoTracking().ToListAsync();
        Assert.Contains(audit, a => a.Action == "view" && a.AgentName == "anna");
        Assert.Contains(audit, a => a.Action == "take" && a.AgentName == "anna");
        Assert.All(audit, a => Assert.DoesNotContain("999993653", a.AgentName + a.SessionId + a.Action));
        Assert.Empty(await db.Sessions.ToListAsync());
    }

    [Fact]
    public async Task An_expired_code_is_hidden_and_the_page_offers_the_way_back_to_the_municipalitys_own_website()
    {
        await using var exchange = await FakeExchange.StartAsync();
        await using var website = await MunicipalWebsiteAsync();
        var config = await ConfigFileAsync(exchange.RouteUrl, website.Url + "/arnhem");
        // The server runs on the test's clock (the roles add TimeProvider.System only when none is there), so the code
        // expires when the test says, without waiting for it.
        var clock = new AheadClock(TimeSpan.Zero);
        await using var server = await RunningServer.StartAsync(logging => logging.Services.AddSingleton<TimeProvider>(clock), "--config", config);

        var resident = await ResidentGetsCodeAsync(server);
        var code = (await resident.Locator("#code").InnerTextAsync()).Trim();
        var back = resident.GetByRole(AriaRole.Link, new() { Name = "Terug naar de website van Gemeente Arnhem" });
        await Assertions.Expect(back).ToBeHiddenAsync();

        // The code's lifetime passes (Desk:DtmfLifetimeMinutes, 15), not the page's own link's (Core:StateLifetimeMinutes, 30).
        clock.Ahead = TimeSpan.FromMinutes(16);
        var phoneStatus = resident.GetByRole(AriaRole.Status);
        await Assertions.Expect(phoneStatus).ToHaveTextAsync(
            "Deze code is verlopen en werkt niet meer. Begin opnieuw op de website van de gemeente voor een nieuwe code.", new() { Timeout = 30_000 });
        await Assertions.Expect(phoneStatus).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(resident.Locator("#code")).ToBeHiddenAsync();
        await Assertions.Expect(resident.GetByText("Uw code", new() { Exact = true })).ToBeHiddenAsync();
        // The way back is the municipality's configured website, not this server's start page.
        await Assertions.Expect(back).ToBeVisibleAsync();
        await Assertions.Expect(back).ToHaveAttributeAsync("href", website.Url + "/arnhem");
        await Accessibility.AssertNoViolationsAsync(resident);
        // The exchange does not take the expired code either.
        var refused = await Exchange(server, "identify", new { code, call_id = "call-late" });
        Assert.NotEqual("matched", refused.GetProperty("result").GetString());

        await back.ClickAsync();
        await resident.WaitForPageAsync(website.Url + "/arnhem");
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("Welkom bij Gemeente Arnhem");
    }

    /// <summary>A resident on the demo start page signs in with the test login for the phone, up to the page with the code.</summary>
    private async Task<IPage> ResidentGetsCodeAsync(RunningServer server)
    {
        var residentContext = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var resident = await residentContext.NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/");
        var arnhem = resident.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await arnhem.GetByLabel("Testinlog").CheckAsync();
        await arnhem.GetByLabel("Bellen", new() { Exact = true }).CheckAsync();
        await arnhem.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync("Fatima <script>alert(1)</script> El Amrani");
        await resident.Locator("input[name='attr:bsn']").FillAsync("999993653");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/phone?t=*");
        await Assertions.Expect(resident.Locator("#number")).ToHaveTextAsync("026 377 0000");
        Assert.Matches("^[0-9]{6}$", (await resident.Locator("#code").InnerTextAsync()).Trim());
        await Assertions.Expect(resident.GetByRole(AriaRole.Status)).ToHaveTextAsync("");
        return resident;
    }

    private static async Task<JsonElement> Exchange(RunningServer server, string action, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/arnhem/exchange/{action}") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeKey);
        var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The municipality's own website (Branding:WebsiteUrl), a page at /arnhem.</summary>
    private static Task<LoopbackServer> MunicipalWebsiteAsync() => LoopbackServer.StartAsync("the municipality's website", app => app.MapGet("/arnhem", () => Results.Content(
        "<!DOCTYPE html><html lang=\"nl\"><head><title>Gemeente Arnhem</title></head><body><h1>Welkom bij Gemeente Arnhem</h1></body></html>", "text/html")));

    /// <summary>A configuration file with <see cref="Config"/>; its path.</summary>
    private static async Task<string> ConfigFileAsync(string routeUrl, string? websiteUrl = null)
    {
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-phone-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, Config(routeUrl, websiteUrl));
        return config;
    }

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The configuration file's JSON; a setting left null is left out (the server's default).</summary>
    private static string Config(string routeUrl, string? websiteUrl = null) => JsonSerializer.Serialize(new
    {
        Demo = true,
        Tenants = new Dictionary<string, object>
        {
            ["arnhem"] = new
            {
                DisplayName = "Gemeente Arnhem",
                Branding = new { WebsiteUrl = websiteUrl },
                Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "bsn" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test", ShimTelUrl = true } },
                CommMethods = new[] { new { Tag = "phone", Name = "Bellen", ImagePath = "/static/phone.svg", Start = "/{tenant}/phone" } },
                Desk = new
                {
                    PhoneNumber = "+31263770000",
                    ExternalLinkTemplate = "https://zaken.example.nl/zoeken?bsn={bsn}",
                    ExchangeApiKey = ExchangeKey,
                    ExchangeRouteUrl = routeUrl,
                    ExchangeRouteApiKey = FakeExchange.ApiKey,
                },
            },
        },
    }, WithoutNulls);
}
