using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>widget.js from the core on one origin, used by a municipal page on another (W1, W2, X3).</summary>
public class WidgetTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>Where focus is, looking through the widget's shadow root: "host button" or the focused element's text/label.</summary>
    private const string FocusScript = """
        () => {
          const host = document.activeElement;
          if (!host || !host.matches('[data-idcontact-widget]')) {
            return 'page:' + (host ? (host.getAttribute('data-idcontact-purpose') || host.tagName) : 'none');
          }
          const inner = host.shadowRoot.activeElement;
          return inner ? 'dialog:' + (inner.labels && inner.labels.length ? inner.labels[0].textContent : inner.textContent) : 'dialog:none';
        }
        """;

    [Fact]
    public async Task Municipal_page_on_another_origin_opens_the_dialog_and_starts_a_session()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        Assert.NotEqual(new Uri(server.BaseUrl).Authority, new Uri(page.Url).Authority);
        var hostButton = page.Locator("button[data-idcontact-purpose='report_move']");
        var hostStyleBefore = await TextTransform(hostButton);

        await hostButton.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Contact met de gemeente" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Testgesprek").CheckAsync();
        await dialog.GetByLabel("Testinlog").CheckAsync();
        await Assertions.Expect(dialog.GetByLabel("Bellen", new() { Exact = true })).ToBeVisibleAsync();

        // Scoped styles both ways: the host's uppercase buttons stay uppercase, ours do not inherit it.
        var next = dialog.GetByRole(AriaRole.Button, new() { Name = "Verder" });
        Assert.Equal("uppercase", hostStyleBefore);
        await Assertions.Expect(next).ToHaveCSSAsync("text-transform", "none"); // once the dialog's sheet applies
        Assert.Equal(hostStyleBefore, await TextTransform(hostButton));

        await next.ClickAsync();
        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-test/**");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Testinlog" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Script_call_in_English_and_plain_messages_for_unknown_purpose_and_unreachable_core()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });
        await page.GotoAsync(server.DemoSiteUrl + "/utrecht");

        await page.EvaluateAsync("() => IdContact.start({ purpose: 'request_passport', lang: 'en' })");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Contact the municipality" });
        await Assertions.Expect(dialog.GetByLabel("Phone")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByLabel("Test sign-in")).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Choose an option for both questions.");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        await page.EvaluateAsync("() => IdContact.start({ purpose: 'no_such_subject' })");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Voor dit onderwerp kunt u op deze manier geen contact opnemen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sluiten" }).ClickAsync();

        await page.RouteAsync("**/session_options/**", route => route.AbortAsync());
        await page.Locator("button[data-idcontact-purpose='report_move']").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Deze dienst is nu niet bereikbaar");
        Assert.Equal(0, await page.GetByRole(AriaRole.Radio).CountAsync());
    }

    [Fact]
    public async Task Keyboard_only_opens_keeps_focus_inside_closes_with_Escape_and_starts()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");

        for (var i = 0; i < 10 && await Focus(page) != "page:report_move"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("page:report_move", await Focus(page));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await WaitForFocusAsync(page, "dialog:Testgesprek");

        // Tab cycles inside the dialog: close button, one stop per radio group, Continue, Cancel, and round again.
        var seen = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await Focus(page);
            Assert.StartsWith("dialog:", focus);
            seen.Add(focus);
        }

        Assert.Equal(["dialog:Testinlog", "dialog:Verder", "dialog:Annuleren", "dialog:×", "dialog:Testgesprek", "dialog:Testinlog"], seen);

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.Equal("page:report_move", await Focus(page));

        await page.Keyboard.PressAsync("Enter");
        await WaitForFocusAsync(page, "dialog:Testgesprek");
        await page.Keyboard.PressAsync("ArrowDown"); // The next channel in the group: phone.
        await WaitForFocusAsync(page, "dialog:Bellen");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("dialog:Testinlog", await Focus(page));
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("dialog:Verder", await Focus(page));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-test/**");
    }

    [Fact]
    public async Task Open_dialog_and_municipal_page_pass_axe_core_WCAG_21_AA()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await page.Locator("button[data-idcontact-purpose='report_move']").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Bellen", new() { Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
    }

    private static async Task<string> Focus(IPage page) => await page.EvaluateAsync<string>(FocusScript);

    private static async Task WaitForFocusAsync(IPage page, string expected)
    {
        for (var i = 0; i < 50 && await Focus(page) != expected; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(expected, await Focus(page));
    }

    private static Task<string> TextTransform(ILocator locator) =>
        locator.EvaluateAsync<string>("e => getComputedStyle(e).textTransform");
}
