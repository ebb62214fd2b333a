using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A resident on one desk instance and the agent on the other, sharing PostgreSQL and the Redis backplane (X4).</summary>
public class VideoScaleOutTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task A_resident_on_one_instance_and_an_agent_on_the_other_see_each_other()
    {
        await using var pair = await TwoInstances.StartAsync("video", new { Tag = "video", Name = "Videobellen", ImagePath = "/x.svg", Start = "/{tenant}/video" });
        var (first, second, tenant) = (pair.First, pair.Second, pair.Tenant);

        // The agent works on the second instance and plans a call for now; the resident opens it on the first. The
        // planning form comes from the first instance: its one-time id (Data Protection) reads on the second too.
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(first, "eva", "Eva", browser.Chromium, tenant, second.BaseUrl);
        await agent.GotoAsync($"{first.BaseUrl}/{tenant}/desk/appointments");
        await agent.Locator("form#plan").EvaluateAsync("(form, url) => form.action = url", $"{second.BaseUrl}/{tenant}/desk/appointments/plan");
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner@example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        var link = (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!.Replace(second.BaseUrl, first.BaseUrl, StringComparison.Ordinal);
        Assert.StartsWith(first.BaseUrl, link, StringComparison.Ordinal);

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");

        // Every signalling message crosses from one instance to the other through Redis, or no picture would arrive.
        await agent.GotoAsync($"{second.BaseUrl}/{tenant}/desk/appointments");
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await VideoCallTests.PlayingAsync(resident, "#remote-video");
        await VideoCallTests.PlayingAsync(agent, "#remote-video");

        await resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToContainTextAsync("Het gesprek is beëindigd");
    }
}
