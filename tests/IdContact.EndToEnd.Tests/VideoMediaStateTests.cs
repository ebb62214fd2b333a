using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class VideoCallTests
{
    /// <summary>What the picture shows: the lines that are not hidden.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Shown = new() { UseInnerText = true };

    [Fact]
    public async Task Each_side_sees_and_hears_announced_when_the_other_turns_camera_or_microphone_off_also_after_a_reload()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "mia", "Mia", browser.Chromium);
        var link = await PlanNowAsync(agent);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");

        // The agent works in English, the resident in Dutch.
        await agent.GotoAsync(AppointmentsPage(agent) + "?lang=en");
        await agent.GetByRole(AriaRole.Link, new() { Name = "Open video call" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        var agentStatus = agent.Locator("#call-status");
        var residentStatus = resident.Locator("#call-status");
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident.");
        await Assertions.Expect(residentStatus).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await PlayingAsync(agent, "#remote-video");
        await Assertions.Expect(agent.Locator("#remote-media")).ToBeHiddenAsync();

        // The resident's camera off: said on the resident's picture and in the agent's status (a polite live region).
        await resident.GetByRole(AriaRole.Button, new() { Name = "Camera uit" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#remote-media")).ToHaveTextAsync("The resident's camera is off.", Shown);
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident. The resident's camera is off.");
        await Assertions.Expect(agentStatus).ToHaveAttributeAsync("role", "status");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Microfoon uit" }).ClickAsync();
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident. The resident's camera is off. The resident's microphone is off.");
        await Assertions.Expect(agent.Locator("#remote-media")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        // The camera on again: only the microphone is said.
        await resident.GetByRole(AriaRole.Button, new() { Name = "Camera uit" }).ClickAsync();
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident. The resident's microphone is off.");
        await Assertions.Expect(agent.Locator("#remote-camera-off")).ToBeHiddenAsync();

        // The agent reloads: the new page learns the resident's state when the resident greets it.
        await agent.ReloadAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident. The resident's microphone is off.");
        await Assertions.Expect(agent.Locator("#remote-microphone-off")).ToBeVisibleAsync();

        // The other way: the agent's camera off, and the resident reloads (their own microphone is on again then).
        await agent.GetByRole(AriaRole.Button, new() { Name = "Camera off" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#remote-media")).ToHaveTextAsync("Camera van de medewerker staat uit.", Shown);
        await resident.ReloadAsync();
        await resident.WaitForPageAsync(link);
        await Assertions.Expect(residentStatus).ToHaveTextAsync("U bent in gesprek met de medewerker. Camera van de medewerker staat uit.");
        await Assertions.Expect(resident.Locator("#remote-media")).ToHaveTextAsync("Camera van de medewerker staat uit.", Shown);
        await Assertions.Expect(agentStatus).ToHaveTextAsync("In the call with the resident.");
        await Assertions.Expect(agent.Locator("#remote-media")).ToBeHiddenAsync();
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // The agent's camera on again: cleared on the resident's side.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Camera off" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#remote-media")).ToBeHiddenAsync();
        await Assertions.Expect(residentStatus).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await PlayingAsync(resident, "#remote-video");
    }
}
