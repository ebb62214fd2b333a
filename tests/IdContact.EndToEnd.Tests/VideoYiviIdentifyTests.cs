using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// V4 with Yivi itself: asked in a running video call, the resident opens Yivi in the pop-up, cancels once, then shares;
/// the call stays up and the agent sees first the failure, then exactly the proven details.
/// </summary>
public class VideoYiviIdentifyTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task Asked_in_a_call_the_resident_cancels_Yivi_once_then_shares_and_the_call_stays_up()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "vera", "Vera", browser.Chromium);
        var resident = await VideoCallTests.InCallAsync(agent, browser.Chromium);
        var link = resident.Url;

        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        var dialog = resident.GetByRole(AriaRole.Dialog);
        var popup = await resident.RunAndWaitForPopupAsync(() => dialog.GetByRole(AriaRole.Button, new() { Name = "Yivi" }).ClickAsync());
        await popup.WaitForPageAsync("**/arnhem/auth-irma/session**");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Annuleren" }).ClickAsync();
        await Assertions.Expect(popup.Locator("h1")).ToHaveTextAsync("U heeft het delen geannuleerd");
        // Verder leads back to the call: the pop-up closes itself, the call page stays where it was.
        var closed = new TaskCompletionSource();
        popup.Close += (_, _) => closed.TrySetResult();
        await popup.GetByRole(AriaRole.Link, new() { Name = "Verder" }).ClickAsync();
        await Bounded.WithinAsync(closed.Task, "the pop-up closing");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Identificatie is niet gelukt.");
        await Assertions.Expect(agent.Locator("#details")).ToHaveTextAsync("Identificatie mislukt: stel de gebruikelijke controlevragen.");

        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        var second = await resident.RunAndWaitForPopupAsync(() => dialog.GetByRole(AriaRole.Button, new() { Name = "Yivi" }).ClickAsync());
        var secondClosed = new TaskCompletionSource();
        second.Close += (_, _) => secondClosed.TrySetResult();
        await second.WaitForPageAsync("**/arnhem/auth-irma/session**");
        await second.GetByRole(AriaRole.Link, new() { Name = "Simuleer scannen (demo)" }).ClickAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = "Gegevens delen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Jan de Vries");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Identificatie gelukt.");
        Assert.Equal(link, resident.Url);
        await Bounded.WithinAsync(secondClosed.Task, "the pop-up closing after sharing");
    }
}
