using System.Text.RegularExpressions;
using IdContact.Desk.Retention;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class VideoCallTests
{
    [Fact]
    public async Task A_call_retention_deletes_says_on_both_pages_that_it_ended_and_was_deleted()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "rita", "Rita Retentie", browser.Chromium);
        var resident = await InCallAsync(agent, browser.Chromium);
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");

        // A sweep as if hours had passed: past the appointment's end (which keeps its contact) and Desk:RetentionMinutes (60).
        var retention = ActivatorUtilities.CreateInstance<RetentionService>(server.App.Services, new AheadClock(TimeSpan.FromHours(3)));
        Assert.True(await retention.SweepAsync(CancellationToken.None) >= 1);

        // Not the hang-up's "beëindigd": deleted, as the chat pages say it.
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Dit gesprek is beëindigd en verwijderd.");
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("Dit gesprek is beëindigd en verwijderd (bewaartermijn verlopen).");
        await Assertions.Expect(resident.Locator("#call")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("#call")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("#hangup")).ToBeDisabledAsync();
        await Assertions.Expect(agent.Locator("#details")).ToBeEmptyAsync();
    }
}
