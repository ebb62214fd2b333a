using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Forced colours (a Windows contrast theme): what a page shows by colour alone must still show. A chosen radio button
/// (the start page's sign-in method, the booking page's time) looked the same as the others there.
/// </summary>
public class ForcedColorsTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_chosen_radio_button_looks_chosen_in_forced_colours_on_the_start_and_the_booking_page()
    {
        await using var server = await RunningServer.StartAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new()
        {
            Locale = "nl-NL",
            ViewportSize = new() { Width = 320, Height = 640 },
            ForcedColors = ForcedColors.Active,
            ReducedMotion = ReducedMotion.Reduce,
        });
        var page = await context.NewPageBoundedAsync();

        await page.GotoAsync(server.BaseUrl + "/");
        await AssertLooksChosenAsync(page, page.Locator("#auth-arnhem-test"), page.Locator("#auth-arnhem-irma"));

        await VideoAppointmentPageTests.ToBookingPageAsync(page, server.BaseUrl);
        await AssertLooksChosenAsync(page, page.Locator("#slot-0"), page.Locator("#slot-1"));
    }

    private static async Task AssertLooksChosenAsync(IPage page, ILocator chosen, ILocator other)
    {
        await Assertions.Expect(chosen).ToBeCheckedAsync();
        await Assertions.Expect(other).Not.ToBeCheckedAsync();
        // The middle of the circle, where the chosen one has its dot, away from the anti-aliased edge: the same picture
        // for both when the dot is gone.
        Assert.NotEqual(Convert.ToBase64String(await MiddleAsync(page, other)), Convert.ToBase64String(await MiddleAsync(page, chosen)));
    }

    private static async Task<byte[]> MiddleAsync(IPage page, ILocator radio)
    {
        var box = (await radio.BoundingBoxAsync())!;
        var x = (float)Math.Round(box.X + (box.Width / 2)) - 2;
        var y = (float)Math.Round(box.Y + (box.Height / 2)) - 2;
        return await page.ScreenshotAsync(new() { Clip = new() { X = x, Y = y, Width = 4, Height = 4 } });
    }
}
