using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Need to know in Chromium: a colleague's overview loses a chat's data the moment an agent takes it. The overview in a
/// background tab counts new contacts in its title.
/// </summary>
public class NeedToKnowPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_chat_shows_its_data_to_every_agent_while_queued_and_only_to_its_holder_once_taken_live_and_accessibly()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var anna = await ChatFlowTests.SignedInAvailableAgentAsync(server, "anna", "Anna Agent", browser.Chromium);
        var bram = await ChatFlowTests.SignedInAvailableAgentAsync(server, "bram", "Bram Collega", browser.Chromium);

        // Bram's overview is in a background tab: a new contact shows as a count in its title until he looks.
        var title = await bram.TitleAsync();
        await bram.EvaluateAsync("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }); document.dispatchEvent(new Event('visibilitychange')); }");

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await ChatFlowTests.ChatFromWidgetAsync(resident, server, "Priya Alleen Voor Anna");

        // Queued: both agents see who is waiting.
        foreach (var agent in new[] { anna, bram })
        {
            await Assertions.Expect(agent.Locator("article.contact", new() { HasText = "Chat" })).ToContainTextAsync("Priya Alleen Voor Anna");
        }

        await Assertions.Expect(bram).ToHaveTitleAsync("(1) " + title);
        await Assertions.Expect(anna).ToHaveTitleAsync(title);
        await bram.EvaluateAsync("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false }); document.dispatchEvent(new Event('visibilitychange')); }");
        await Assertions.Expect(bram).ToHaveTitleAsync(title);

        // Anna takes it; Bram's list moves without a reload: the card, its state and holder, no data.
        await anna.Locator("article.contact", new() { HasText = "Chat" }).GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await anna.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(anna.Locator("#details")).ToContainTextAsync("Priya Alleen Voor Anna");
        var card = bram.Locator("article.contact", new() { HasText = "Chat" });
        await Assertions.Expect(card.Locator(".only-for")).ToHaveTextAsync("Gegevens alleen zichtbaar voor Anna Agent.");
        await Assertions.Expect(card).ToContainTextAsync("In gesprek met Anna Agent");
        await Assertions.Expect(bram.Locator("#contacts")).Not.ToContainTextAsync("Priya");
        Assert.Equal(0, await card.Locator("table, .test-data, .proven, a[target=_blank]").CountAsync());
        await Accessibility.AssertNoViolationsAsync(bram);

        await bram.GotoAsync(server.BaseUrl + "/arnhem/desk?lang=en");
        await Assertions.Expect(bram.Locator("article.contact", new() { HasText = "Chat" }).Locator(".only-for")).ToHaveTextAsync("Data visible only to Anna Agent.");
        await Accessibility.AssertNoViolationsAsync(bram);
    }
}
