using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Redis, the SignalR backplane, is down (cut with <see cref="TcpRelay"/>): signalling cannot cross instances, but a call
/// whose two sides are on one instance still starts, as that instance delivers to its own pages (BackplaneFallback); a
/// call across instances says it is reconnecting, and starts when Redis is back.
/// </summary>
public class VideoBackplaneDownTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task With_redis_down_a_call_whose_two_sides_are_on_one_instance_starts_and_ends()
    {
        var redis = TwoInstances.Redis.Split(':');
        await using var relay = TcpRelay.Start(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await RunningServer.StartAsync("--Desk:Redis", $"127.0.0.1:{relay.Port}");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "wim", "Wim", browser.Chromium);
        var link = await VideoCallTests.PlanNowAsync(agent);

        relay.Stop(); // Both pages connect while Redis is down.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await agent.GotoAsync(VideoCallTests.AppointmentsPage(agent));
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));

        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.", new() { Timeout = 20_000 });
        await VideoCallTests.PlayingAsync(resident, "#remote-video");
        await VideoCallTests.PlayingAsync(agent, "#remote-video");

        await resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToContainTextAsync("Het gesprek is beëindigd", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task With_redis_down_a_call_across_instances_says_it_is_reconnecting_and_starts_when_redis_is_back()
    {
        var redis = TwoInstances.Redis.Split(':');
        await using var relay = TcpRelay.Start(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var pair = await TwoInstances.StartAsync(
            "videodown", new { Tag = "video", Name = "Videobellen", ImagePath = "/x.svg", Start = "/{tenant}/video" }, null, $"127.0.0.1:{relay.Port}");
        var (first, second, tenant) = (pair.First, pair.Second, pair.Tenant);
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(first, "eva", "Eva", browser.Chromium, tenant, second.BaseUrl);
        await agent.GotoAsync($"{second.BaseUrl}/{tenant}/desk/appointments");
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner@example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        var link = (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!.Replace(second.BaseUrl, first.BaseUrl, StringComparison.Ordinal);

        relay.Stop(); // The resident's page is on the first instance, the agent's on the second: no greeting crosses.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await agent.GotoAsync($"{second.BaseUrl}/{tenant}/desk/appointments");
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Verbinding verbroken, opnieuw verbinden …", new() { Timeout = 20_000 });
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("Verbinding verbroken, opnieuw verbinden …", new() { Timeout = 20_000 });

        // Redis is back: each instance reconnects the pages that connected without it, and their greetings cross.
        relay.Resume();
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.", new() { Timeout = 60_000 });

        await VideoCallTests.PlayingAsync(resident, "#remote-video");
        await VideoCallTests.PlayingAsync(agent, "#remote-video");
    }
}
