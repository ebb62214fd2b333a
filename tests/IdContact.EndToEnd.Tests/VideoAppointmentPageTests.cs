using IdContact.Desk.Video;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The video appointment pages in Chromium: the demo flow to a booking, keyboard only, and axe-core clean.</summary>
public class VideoAppointmentPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_resident_books_a_video_appointment_by_keyboard_and_the_pages_have_no_axe_violations()
    {
        await using var server = await RunningServer.StartAsync(); // the embedded demo: no SMTP, so e-mail goes to {data}/mail
        var page = await (await browser.Chromium.NewContextAsync(new() { Locale = "nl-NL" })).NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/");
        var section = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await section.GetByLabel("Testinlog").CheckAsync();
        await section.GetByLabel("Videobellen").CheckAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await page.WaitForURLAsync("**/arnhem/auth-test/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await page.WaitForURLAsync("**/arnhem/video/book/**");
        await Accessibility.AssertNoViolationsAsync(page);

        // Keyboard only: the first time is chosen, type the address, Enter submits.
        await page.GetByLabel("E-mailadres").FocusAsync();
        await page.Keyboard.TypeAsync("inwoner@example.nl");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await Assertions.Expect(page.Locator("#demo-mail")).ToBeVisibleAsync();
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "mail"), "*.eml"));
        await Accessibility.AssertNoViolationsAsync(page);

        // The waiting page a link opens in its window.
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>()
            .PlanAsync("arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, "agent", CancellationToken.None);
        await page.GotoAsync(planned.Link);
        await Assertions.Expect(page.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }
}
