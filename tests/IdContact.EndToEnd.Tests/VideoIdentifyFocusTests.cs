using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The agent opens the resident's identification dialog, not a control of the resident's (WCAG 2.4.3): when it closes,
/// the focus goes back to the control that had it, or else to the call's status; never to the page's top.
/// </summary>
public class VideoIdentifyFocusTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task When_the_identification_dialog_closes_the_focus_returns_to_the_call()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "fien", "Fien Focus", browser.Chromium);
        var resident = await VideoCallTests.InCallAsync(agent, browser.Chromium);

        // Nothing had the focus (the resident only watched): Nu niet leaves it on the call's status, not the page's top.
        var dialog = resident.GetByRole(AriaRole.Dialog);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Nu niet" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(resident.Locator("#call-status")).ToBeFocusedAsync();

        // The resident was on Microfoon uit: Escape brings the focus back there.
        await Assertions.Expect(resident.Locator("#mute")).ToBeEnabledAsync();
        await resident.Locator("#mute").FocusAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(resident.Locator("#mute")).Not.ToBeFocusedAsync();
        await resident.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(resident.Locator("#mute")).ToBeFocusedAsync();
    }
}
