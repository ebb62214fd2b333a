using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class VideoCallTests
{
    /// <summary>
    /// Test-side network switch (no hook in the product): <c>testNetwork.down()</c> closes the page's peer connections,
    /// so the other side's connection loses the media path (disconnected, then failed), and until <c>up()</c> a new
    /// connection gathers no ICE candidates (relay only, without a relay server), so no new round can connect;
    /// <c>made()</c> counts the connections the page created.
    /// </summary>
    private const string NetworkSwitch = """
        (() => {
          const Native = window.RTCPeerConnection;
          const made = [];
          let down = false;
          window.RTCPeerConnection = class extends Native {
            constructor(config) {
              super(down ? { ...config, iceServers: [], iceTransportPolicy: 'relay' } : config);
              made.push(this);
            }
          };
          window.testNetwork = {
            down: () => { down = true; made.forEach(pc => pc.close()); },
            up: () => { down = false; },
            made: () => made.length,
          };
        })();
        """;

    private const string RememberRemote = "() => { window.before = document.getElementById('remote-video').srcObject; }";

    private const string NewRemote = "() => { const s = document.getElementById('remote-video').srcObject; return s !== null && s !== window.before; }";

    /// <summary>Detecting a broken path takes Chromium some seconds, and the next attempt may be a backoff away.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task When_the_media_path_breaks_on_either_side_both_say_they_reconnect_and_the_call_comes_back_by_itself()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "ria", "Ria", browser.Chromium);
        var link = await PlanNowAsync(agent);
        await agent.AddInitScriptAsync(NetworkSwitch);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.AddInitScriptAsync(NetworkSwitch);
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");

        // The agent works in English, the resident in Dutch.
        await agent.GotoAsync(AppointmentsPage(agent) + "?lang=en");
        await agent.GetByRole(AriaRole.Link, new() { Name = "Open video call" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In the call with the resident.");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await PlayingAsync(resident, "#remote-video");
        await PlayingAsync(agent, "#remote-video");

        // The resident's network goes (a phone leaving Wi-Fi): the agent's side notices, offers again and again, and both
        // pages say so; the status is polite (role=status) and the pages stay accessible with it.
        await BreakAndRecoverAsync(resident, async () =>
        {
            await Accessibility.AssertNoViolationsAsync(agent);
            await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);
        });

        // Now the agent's network: the resident's side notices and asks the agent (Ready) to offer again.
        await BreakAndRecoverAsync(agent, () => Task.CompletedTask);

        // The resident's network goes again and the resident gives up (closes the page) while the agent reconnects: the
        // agent waits for the resident as before and tries no more rounds; the resident's return starts the call again.
        await resident.EvaluateAsync("() => testNetwork.down()");
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("Connection lost, reconnecting …", Slow);
        await resident.CloseBoundedAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("The resident left or lost the connection; waiting for the resident …", Slow);
        var made = await agent.EvaluateAsync<int>("() => testNetwork.made()");
        await agent.WaitForTimeoutAsync(5000); // longer than the next two retries (2 s, 4 s) would take
        Assert.Equal(made, await agent.EvaluateAsync<int>("() => testNetwork.made()"));
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("The resident left or lost the connection; waiting for the resident …");
        resident = await resident.Context.NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In the call with the resident.", Slow);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await PlayingAsync(agent, "#remote-video");

        // Hang up still ends the call for both.
        await resident.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToContainTextAsync("The call has ended");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Het gesprek is beëindigd. Uw gegevens zijn verwijderd.");

        async Task BreakAndRecoverAsync(IPage broken, Func<Task> whileReconnecting)
        {
            await agent.EvaluateAsync(RememberRemote);
            await resident.EvaluateAsync(RememberRemote);
            await broken.EvaluateAsync("() => testNetwork.down()");

            await Assertions.Expect(agent.Locator("#call-status[role=status]")).ToHaveTextAsync("Connection lost, reconnecting …", Slow);
            await Assertions.Expect(resident.Locator("#call-status[role=status]")).ToHaveTextAsync("Verbinding verbroken, opnieuw verbinden …", Slow);
            await whileReconnecting();

            // The network is back: a later attempt connects, the status clears, and each side plays a new remote stream.
            await broken.EvaluateAsync("() => testNetwork.up()");
            await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In the call with the resident.", Slow);
            await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.", Slow);
            await agent.WaitForFunctionAsync(NewRemote, null, new() { Timeout = 20_000 });
            await resident.WaitForFunctionAsync(NewRemote, null, new() { Timeout = 20_000 });
            await PlayingAsync(agent, "#remote-video");
            await PlayingAsync(resident, "#remote-video");
        }
    }
}
