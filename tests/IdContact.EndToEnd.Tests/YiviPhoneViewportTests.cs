using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// A resident on a phone (375×667) who chose Yivi: the page offers *Open de Yivi-app* in the first screenful, above a QR
/// code the phone cannot scan from itself; cancelling and going Back end on pages that say what happened, and they pass
/// axe-core, in Dutch and in English.
/// </summary>
public partial class YiviPhoneViewportTests(Browser browser) : IClassFixture<Browser>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_a_phone_the_app_link_comes_first_and_cancel_and_back_end_on_honest_pages(bool english)
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new()
        {
            Locale = "nl-NL",
            ViewportSize = new() { Width = 375, Height = 667 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageBoundedAsync();
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await (await ReflowTests.OpenWidgetAsync(page, "Bellen", "Yivi")).GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-irma/**");
        if (english)
        {
            // The page's own language switch: what follows (cancel, Back) must keep English.
            await page.GotoAsync(page.Url + "&lang=en");
        }

        var app = page.GetByRole(AriaRole.Link, new() { Name = english ? "Open the Yivi app" : "Open de Yivi-app" });
        var qr = page.GetByRole(AriaRole.Img, new() { NameRegex = QrName() });
        var appBox = await app.BoundingBoxAsync() ?? throw new InvalidOperationException("the app link is not shown");
        var qrBox = await qr.BoundingBoxAsync() ?? throw new InvalidOperationException("the QR code is not shown");
        Assert.True(appBox.Y + appBox.Height <= 667, $"the app link ends at {appBox.Y + appBox.Height}px, below the first screen");
        Assert.True(appBox.Y < qrBox.Y, "the app link comes before the QR code");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        await page.GetByRole(AriaRole.Button, new() { Name = english ? "Cancel" : "Annuleren" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(english ? "You cancelled sharing" : "U heeft het delen geannuleerd");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(english ? "This Yivi session is already finished" : "Deze Yivi-sessie is al afgerond");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(english ? "No details were shared" : "geen gegevens gedeeld");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }

    [GeneratedRegex("QR")]
    private static partial Regex QrName();
}
