using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The resident arriving in a video call's waiting room, told on the overview and on the agent's call page.</summary>
public class AgentVideoAlertTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task A_resident_arriving_for_the_agents_video_call_is_told_on_the_overview_and_on_the_call_page()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "beeld", "Beeld", browser.Chromium, setUp: c => AlertRecorder.RecordAsync(c, server.BaseUrl));
        await AlertRecorder.SwitchAsync(agent, on: true);
        var residents = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });

        // On the overview, behind another window: the resident opens the link of the call planned by this agent.
        var first = await VideoCallTests.PlanNowAsync(agent);
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await agent.WaitForLiveAsync();
        var front = await AlertRecorder.OutOfViewAsync(agent);
        var resident = await residents.NewPageBoundedAsync();
        await resident.GotoAsync(first);
        await Assertions.Expect(agent.Locator("article.contact[data-alert='video']")).ToHaveCountAsync(1);
        Assert.Equal(("Een inwoner wacht in de videowachtkamer", "Video · Gemeente Arnhem", "idcontact:arnhem:video"), await AlertRecorder.WaitForNotificationAsync(agent, 1));
        await front.CloseBoundedAsync();

        // On the call page of a second call, waiting for its resident behind another window: the arrival is told there.
        var second = await VideoCallTests.PlanNowAsync(agent);
        await agent.GotoAsync(VideoCallTests.AppointmentsPage(agent));
        await agent.Locator("tr", new() { HasText = "Nog niet aangekomen" }).GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        await Assertions.Expect(agent.Locator("#call-state")).ToHaveTextAsync("Wacht op de inwoner …");
        await AlertRecorder.OutOfViewAsync(agent);
        var next = await residents.NewPageBoundedAsync();
        await next.GotoAsync(second);
        await Assertions.Expect(agent.Locator("#call-state")).ToHaveTextAsync("In gesprek met de inwoner.");
        Assert.Equal(("Een inwoner wacht in de videowachtkamer", "Video · Gemeente Arnhem", "idcontact:arnhem:video"), await AlertRecorder.WaitForNotificationAsync(agent, 1));
    }
}
