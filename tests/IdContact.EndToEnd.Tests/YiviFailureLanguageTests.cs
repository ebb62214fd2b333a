using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Yivi's failure pages offer the other language by keyboard and keep the specific reason and the way on; the switch
/// posts the session (never in an address). The English demo start page leads to an English Yivi page on a Dutch browser,
/// and "I have shared the details" pressed too early leaves focus on the note that says so.
/// </summary>
public class YiviFailureLanguageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task From_the_English_demo_page_an_invalid_proof_page_switches_language_and_keeps_its_reason_and_way_on()
    {
        await using var server = await RunningServer.StartAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var page = await context.NewPageBoundedAsync();
        await StartYiviFromDemoPageAsync(page, server.BaseUrl + "/?lang=en", "Start");

        // The demo page's English, not the browser's Dutch.
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in with Yivi");

        var scan = await page.GetByRole(AriaRole.Link, new() { Name = "Simulate scan (demo)" }).GetAttributeAsync("href");
        var phone = await context.NewPageBoundedAsync();
        await phone.GotoAsync(new Uri(new Uri(page.Url), scan).ToString());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Invalid proof" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your details could not be verified");

        await SwitchAsync(page, "Nederlands", "nl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw gegevens konden niet worden gecontroleerd");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Het bewijs uit de Yivi-app is niet geldig");
        Assert.DoesNotContain("s=", new Uri(page.Url).Query, StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your details could not be verified");

        // The way on still leads to the conversation, which knows the sign-in failed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/comm-test/session/**");
        await Assertions.Expect(page.Locator("#status")).Not.ToHaveAttributeAsync("data-status", "success");
    }

    [Fact]
    public async Task Continuing_before_sharing_focuses_the_note_and_a_cancelled_page_switches_language_with_its_reason()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await StartYiviFromDemoPageAsync(page, server.BaseUrl + "/", "Starten");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ik heb de gegevens gedeeld" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var note = page.Locator("#irma-pending");
        await Assertions.Expect(note).ToHaveTextAsync("U heeft uw gegevens nog niet gedeeld in de Yivi-app.");
        await Assertions.Expect(note).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Annuleren" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("U heeft het delen geannuleerd");
        await SwitchAsync(page, "English", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("You cancelled sharing");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("No details were passed on to Gemeente Arnhem.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/comm-test/session/**");
    }

    /// <summary>Arnhem on the demo start page: Yivi, then the test conversation.</summary>
    private static async Task StartYiviFromDemoPageAsync(IPage page, string demoPage, string start)
    {
        await page.GotoAsync(demoPage);
        var arnhem = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await arnhem.GetByLabel("Yivi").CheckAsync();
        await arnhem.GetByLabel("Testgesprek").CheckAsync();
        await arnhem.GetByRole(AriaRole.Button, new() { Name = start, Exact = true }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-irma/session**");
    }

    private static async Task SwitchAsync(IPage page, string name, string lang)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveAttributeAsync("lang", lang);
        await AgentAdminTests.TabToAsync(page, "language-switch");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
    }
}
