using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// W3 end to end: a municipal page on origin A loads widget.js from the core on origin B; the resident picks phone and
/// Yivi, sees the disclosure QR code, the (fake) IRMA server completes the disclosure, and the browser lands on the
/// phone page with number and code.
/// </summary>
public partial class WidgetIrmaPhoneTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Widget_phone_and_Yivi_show_QR_then_number_and_code_and_the_pages_pass_axe_core()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", BypassCSP = true });
        var page = await context.NewPageBoundedAsync();

        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await page.Locator("button[data-idcontact-purpose='report_move']").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Bellen", new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel("Yivi").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();

        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-irma/**");
        var qr = page.GetByRole(AriaRole.Img, new() { NameRegex = QrName() });
        await Assertions.Expect(qr).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);

        // The demo's "scan": the fake IRMA server's phone page, in the resident's other device (here: another tab).
        var scanLink = page.GetByRole(AriaRole.Link, new() { Name = "Simuleer scannen (demo)" });
        var phone = await context.NewPageBoundedAsync();
        await phone.GotoAsync(new Uri(new Uri(page.Url), await scanLink.GetAttributeAsync("href")).ToString());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gegevens delen" }).ClickAsync();

        // The IRMA page notices the finished disclosure by itself and sends the resident on.
        await page.WaitForPageAsync(new Regex(@"/arnhem/phone\?t="));
        await Assertions.Expect(page.Locator("#number")).ToHaveTextAsync("026 377 0000");
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(DigitsOnly());
    }

    [GeneratedRegex("QR")]
    private static partial Regex QrName();

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex DigitsOnly();
}
