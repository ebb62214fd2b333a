using System.Text.RegularExpressions;
using IdContact.Desk.Video;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The language switch (the header's, as on chat and the video call) on the resident's pages that lacked one: the test
/// sign-in, the phone page with its code and the video booking page. In Chromium: reached by Tab, it switches the
/// page's language and keeps what the page shows (the sign-in session, the code, the chosen day).
/// </summary>
public class ResidentLanguageSwitchTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_test_sign_in_and_the_phone_page_switch_language_by_keyboard_and_keep_the_session_and_the_code()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await page.GotoAsync(server.BaseUrl + "/");
        var arnhem = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await arnhem.GetByLabel("Testinlog").CheckAsync();
        await arnhem.GetByLabel("Bellen", new() { Exact = true }).CheckAsync();
        await arnhem.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Testinlog");
        var session = Query(page.Url, "s");

        // The sign-in in English and back: the same session, which still signs in.
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Test sign-in");
        Assert.Equal(session, Query(page.Url, "s"));
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await SwitchAsync(page, "Nederlands", "nl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Testinlog");
        Assert.Equal(session, Query(page.Url, "s"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();

        // The phone page: the same number and code in English, not a new one.
        await page.WaitForPageAsync("**/arnhem/phone?t=*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Bel ons en toets uw code in");
        var code = (await page.Locator("#code").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9]{6}$", code);
        var link = Query(page.Url, "t");
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Call us and enter your code");
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(code);
        Assert.Equal(link, Query(page.Url, "t"));
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }

    [Fact]
    public async Task The_video_booking_page_switches_language_by_keyboard_and_keeps_the_chosen_day()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        var bookingUrl = await VideoAppointmentPageTests.ToBookingPageAsync(page, server.BaseUrl);
        // Another day than the first, chosen with the page's own form.
        var day = await page.Locator("#date option").Last.GetAttributeAsync("value");
        await page.Locator("#date").SelectOptionAsync(day!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tijden tonen" }).ClickAsync();
        await page.WaitForPageAsync($"**/video/book/**date={day}*");

        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Make a video appointment");
        await Assertions.Expect(page.Locator("#date")).ToHaveValueAsync(day!);
        Assert.StartsWith(bookingUrl.Split('?')[0] + "?", page.Url, StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // The English page books, and says so in English.
        await page.GetByLabel("E-mail address").FillAsync("inwoner@example.nl");
        await page.GetByLabel("E-mail address").PressAsync("Enter");
        await page.WaitForPageAsync("**/video/booked/**");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    [Fact]
    public async Task On_an_English_browser_the_video_calls_switch_leads_to_the_Dutch_page()
    {
        await using var server = await RunningServer.StartAsync();
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>().PlanAsync(
            "arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await VideoAppointmentPageTests.DemoAgentIdAsync(server), CancellationToken.None);
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "en-GB" })).NewPageBoundedAsync();
        await page.GotoAsync(planned.Link.Split('?')[0]);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        // The link names Dutch itself (?lang=nl): without it the browser's English would win again.
        await SwitchAsync(page, "Nederlands", "nl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw videogesprek");
    }

    [Fact]
    public async Task The_Yivi_page_and_the_test_conversation_switch_language_by_keyboard_and_keep_their_session()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var page = await context.NewPageBoundedAsync();

        // Yivi: the same disclosure session in English and back, which then still finishes.
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await (await ReflowTests.OpenWidgetAsync(page, "Bellen", "Yivi")).GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-irma/**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inloggen met Yivi");
        var session = Query(page.Url, "s");
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in with Yivi");
        await Assertions.Expect(page.Locator("#irma-status")).ToHaveTextAsync("Waiting for the Yivi app…");
        Assert.Equal(session, Query(page.Url, "s"));
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await SwitchAsync(page, "Nederlands", "nl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inloggen met Yivi");
        Assert.Equal(session, Query(page.Url, "s"));
        var scan = await page.GetByRole(AriaRole.Link, new() { Name = "Simuleer scannen (demo)" }).GetAttributeAsync("href");
        var phone = await context.NewPageBoundedAsync();
        await phone.GotoAsync(new Uri(new Uri(page.Url), scan).ToString());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gegevens delen" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/phone?t=*");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");

        // The test conversation: the received details stay, read again in English.
        await page.GotoAsync(server.BaseUrl + "/");
        var start = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await start.GetByLabel("Testinlog").CheckAsync();
        await start.GetByLabel("Testgesprek").CheckAsync();
        await start.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await page.Locator("input[name='attr:fullname']").FillAsync("Sanne de Boer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/comm-test/session/**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Testgesprek");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "success");
        var conversation = new Uri(page.Url).AbsolutePath;
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Test conversation");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "success");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync("Sanne de Boer");
        Assert.Equal(conversation, new Uri(page.Url).AbsolutePath);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // Its message page (an unknown conversation) switches too.
        await page.GotoAsync(server.BaseUrl + "/arnhem/comm-test/session/unknown");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Gesprek niet gevonden");
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Conversation not found");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }

    [Fact]
    public async Task The_web_code_page_switches_language_on_every_step_and_keeps_the_typed_code()
    {
        // Three starts a minute from this address: the code (1), the method (2) and the desk's start at the core (3).
        // The choice step's switches, however many, spend none of them (until 2026-11-29 each posted the code again).
        await using var server = await RunningServer.StartAsync("--RateLimits:StartPerMinute", "3");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "willem", "Willem Web", browser.Chromium);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Beller identificeren" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/identify/"));
        var code = (await agent.Locator("article.contact .web-code__code span[aria-hidden]").TextContentAsync())!.Replace(" ", "");

        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await page.GotoAsync(server.BaseUrl + "/arnhem/id");
        await SwitchAsync(page, "English", "en");
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");

        // Choosing a method: the switch posts the choice again (the code never goes into an address), the same choice in
        // Dutch; back and forth, it spends no start (four more than the limit's three would end in a 429 at Testinlog).
        await SwitchAsync(page, "Nederlands", "nl", AriaRole.Button);
        await SwitchAsync(page, "English", "en", AriaRole.Button);
        await SwitchAsync(page, "Nederlands", "nl", AriaRole.Button);
        await SwitchAsync(page, "English", "en", AriaRole.Button);
        await SwitchAsync(page, "Nederlands", "nl", AriaRole.Button);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inloggen");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Verhuizing doorgeven");
        Assert.DoesNotContain(code, page.Url, StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();

        // Back to the call: the same page in English.
        await page.WaitForPageAsync("**/arnhem/id/done/**");
        var done = new Uri(page.Url).AbsolutePath;
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Back to the call");
        Assert.Equal(done, new Uri(page.Url).AbsolutePath);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }

    /// <summary>Tab from the skip link to the switch, named in its own language, and Enter: the page in that language.</summary>
    private static async Task SwitchAsync(IPage page, string name, string lang, AriaRole? role = null)
    {
        var link = page.GetByRole(role ?? AriaRole.Link, new() { Name = name, Exact = true });
        await Assertions.Expect(link).ToHaveAttributeAsync("lang", lang);
        if (role is null)
        {
            await Assertions.Expect(link).ToHaveAttributeAsync("hreflang", lang);
        }

        await AgentAdminTests.TabToAsync(page, "language-switch");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
    }

    private static string? Query(string url, string key) => QueryHelpers.ParseQuery(new Uri(url).Query).TryGetValue(key, out var v) ? v.ToString() : null;
}
