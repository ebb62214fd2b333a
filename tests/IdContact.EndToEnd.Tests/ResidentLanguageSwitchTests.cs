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

    /// <summary>Tab from the skip link to the switch, named in its own language, and Enter: the page in that language.</summary>
    private static async Task SwitchAsync(IPage page, string name, string lang)
    {
        var link = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
        await Assertions.Expect(link).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(link).ToHaveAttributeAsync("hreflang", lang);
        await AgentAdminTests.TabToAsync(page, "language-switch");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
    }

    private static string? Query(string url, string key) => QueryHelpers.ParseQuery(new Uri(url).Query).TryGetValue(key, out var v) ? v.ToString() : null;
}
