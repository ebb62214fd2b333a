using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Redis, the SignalR backplane, is down (cut with <see cref="TcpRelay"/>): signalling cannot cross instances, but a call
/// whose two sides are on one instance still starts, as that instance delivers to its own pages (BackplaneFallback).
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
        var resident = await (await browser.Chromium.NewContextAsync(new() { Locale = "nl-NL" })).NewPageAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await agent.GotoAsync(VideoCallTests.AppointmentsPage(agent));
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await agent.WaitForURLAsync(new Regex("/arnhem/desk/video/"));

        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.", new() { Timeout = 20_000 });
        await VideoCallTests.PlayingAsync(resident, "#remote-video");
        await VideoCallTests.PlayingAsync(agent, "#remote-video");

        await resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToContainTextAsync("Het gesprek is beëindigd", new() { Timeout = 20_000 });
    }
}
