using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The language switch in the staff pages' header, in Chromium: reached by keyboard, and the choice sticks.</summary>
public partial class AgentAdminTests
{
    [Fact]
    public async Task Administrator_on_a_Dutch_browser_switches_to_English_by_keyboard_and_form_results_stay_English()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "taal");
        var html = page.Locator("html");
        await Assertions.Expect(html).ToHaveAttributeAsync("lang", "nl");
        await Accessibility.AssertNoViolationsAsync(page);

        // Tab from the top of the page reaches the switch, named in its own language; Enter follows it.
        var toEnglish = page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true });
        await Assertions.Expect(toEnglish).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(toEnglish).ToHaveAttributeAsync("hreflang", "en");
        await TabToAsync(page, "language-switch");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Incoming contacts");
        await Assertions.Expect(html).ToHaveAttributeAsync("lang", "en");
        await Accessibility.AssertNoViolationsAsync(page);

        // A link without ?lang, then a form posted by keyboard: the answer is still English.
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage agents" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Manage agents");
        await page.GetByLabel("User name").FillAsync("lien");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#admin-notice")).ToContainTextAsync("Created: lien");
        Assert.DoesNotContain("lang=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(html).ToHaveAttributeAsync("lang", "en");
        await Accessibility.AssertNoViolationsAsync(page);

        // On that form's answer the switch leads back to the admin page, in Dutch, which then sticks too.
        await TabToAsync(page, "language-switch");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Medewerkers beheren");
        await page.GetByRole(AriaRole.Link, new() { Name = "Inzage-log" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inzage-log");
        await Assertions.Expect(html).ToHaveAttributeAsync("lang", "nl");
    }

    /// <summary>Presses Tab from the page's first stop (the skip link) until the element with this id has focus.</summary>
    internal static async Task TabToAsync(IPage page, string id)
    {
        await page.Locator("a.idc-skip").FocusAsync();
        for (var i = 0; i < 15; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.id") == id)
            {
                return;
            }
        }

        Assert.Fail($"#{id} is not reached with Tab.");
    }
}
