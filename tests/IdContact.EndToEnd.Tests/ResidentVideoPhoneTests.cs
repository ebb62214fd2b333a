using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The resident's video call as a resident meets it on a small touch phone.</summary>
public class ResidentVideoPhoneTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task Hanging_up_in_the_waiting_room_removes_the_dead_stage_and_moves_focus_to_the_status()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "hugo", "Hugo", browser.Chromium);
        await agent.GotoAsync(new Uri(new Uri(agent.Url), "/arnhem/desk/appointments").ToString());
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner@example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        var link = (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!;

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new()
        {
            Locale = "nl-NL",
            ViewportSize = new() { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await VideoCallTests.PlayingAsync(resident, "#local-video");

        // Hang up has the focus when it is pressed and disabled: the status takes it, the dark stage goes.
        await resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).FocusAsync();
        await resident.Keyboard.PressAsync("Enter");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Het gesprek is beëindigd. Uw gegevens zijn verwijderd.");
        await Assertions.Expect(resident.Locator("#call-status")).ToBeFocusedAsync();
        await Assertions.Expect(resident.Locator("#call")).ToBeHiddenAsync();
        await Assertions.Expect(resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" })).ToBeHiddenAsync();
    }
}
