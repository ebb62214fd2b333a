using IdContact.Desk.Video;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Forced colours (a Windows contrast theme): what a page shows by colour alone must still show. A chosen radio button
/// (the start page's sign-in method, the booking page's time) looked the same as the others there, and a pressed
/// *Microfoon uit* as one not pressed.
/// </summary>
public class ForcedColorsTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
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

    [Fact]
    public async Task A_pressed_call_button_looks_pressed_in_forced_colours()
    {
        await using var server = await RunningServer.StartAsync();
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>().PlanAsync(
            "arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await VideoAppointmentPageTests.DemoAgentIdAsync(server), CancellationToken.None);
        var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", ForcedColors = ForcedColors.Active });
        var page = await context.NewPageBoundedAsync();
        await page.GotoAsync(planned.Link);
        var mute = page.GetByRole(AriaRole.Button, new() { Name = "Microfoon uit" });
        await Assertions.Expect(mute).ToBeEnabledAsync();

        // Focused both times, so only the pressed state can differ.
        await mute.FocusAsync();
        var before = await mute.ScreenshotAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(mute).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.NotEqual(Convert.ToBase64String(before), Convert.ToBase64String(await mute.ScreenshotAsync()));
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
