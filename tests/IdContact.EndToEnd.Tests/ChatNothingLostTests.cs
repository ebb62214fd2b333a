using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tests;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>Nothing a resident or agent typed disappears without a word: refused, too long or never sent.</summary>
public class ChatNothingLostTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_line_refused_by_the_sending_limit_stays_in_the_box_to_send_after_the_wait()
    {
        await using var server = await RunningServer.StartAsync("--Desk:ChatMessagesPerMinute", "1");
        var resident = await QueuedResidentAsync(server);

        await ChatFlowTests.Send(resident, "De eerste vraag");
        await Assertions.Expect(resident.Locator("#messages li[data-seq]", new() { HasText = "De eerste vraag" })).ToHaveCountAsync(1);
        await ChatFlowTests.Send(resident, "De tweede vraag");

        await Assertions.Expect(resident.Locator("#send-error")).ToHaveTextAsync("U stuurt te veel berichten; wacht een minuut.");
        await Assertions.Expect(resident.GetByLabel("Bericht")).ToHaveValueAsync("De tweede vraag");
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "De tweede vraag" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_long_paste_is_counted_not_cut_and_an_over_long_line_stays_in_the_box()
    {
        await using var server = await RunningServer.StartAsync();
        var resident = await QueuedResidentAsync(server);
        var box = resident.GetByLabel("Bericht");
        var count = resident.Locator("#message-count");

        // Below 90 % of the 2000 characters nothing is said; from there the count, linked to the box.
        await box.FillAsync(new string('a', 1700));
        await Assertions.Expect(count).ToBeEmptyAsync();
        await box.FillAsync(new string('a', 1950));
        await Assertions.Expect(count).ToHaveTextAsync("Nog 50 tekens");
        Assert.Contains("message-count", await box.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        Assert.Equal("polite", await count.GetAttributeAsync("aria-live"));

        // A paste past the limit is kept whole, said, and refused on sending without losing it.
        var tooLong = new string('b', 2010);
        await box.FillAsync(tooLong);
        await Assertions.Expect(box).ToHaveValueAsync(tooLong);
        await Assertions.Expect(count).ToHaveTextAsync("10 tekens te veel");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#send-error")).ToHaveTextAsync("Een bericht mag hoogstens 2000 tekens lang zijn.");
        await Assertions.Expect(box).ToHaveValueAsync(tooLong);
        await Assertions.Expect(resident.Locator("#messages li.pending")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // In English too.
        await resident.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await resident.GetByLabel("Message").FillAsync(new string('c', 1990));
        await Assertions.Expect(resident.Locator("#message-count")).ToHaveTextAsync("10 characters left");
    }

    [Fact]
    public async Task Lines_the_agent_typed_while_the_chat_was_handed_back_say_they_were_not_sent()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "4");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "wim", "Wim", browser.Chromium);
        var resident = await QueuedResidentAsync(server, withAgent: false);
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Wim.");

        // The agent's line cannot be stored, so it waits; meanwhile the chat is handed back (the laptop slept).
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        await using (await RefusingTrigger.CreateAsync(databases, "arnhem", "ChatMessages", "Kind", ChatKinds.Text))
        {
            await ChatFlowTests.Send(agent, "Geschreven voor de overdracht");
            await Assertions.Expect(agent.Locator("#messages li.pending")).ToHaveCountAsync(1);
            var holders = server.App.Services.GetRequiredService<AbsentChatHolders>();
            Assert.Equal(1, await holders.SweepAsync("arnhem", TimeSpan.FromSeconds(-5), CancellationToken.None));

            // The page learns the chat is not theirs: the waiting line says it was not sent, and goes nowhere.
            await Assertions.Expect(agent.Locator("#live-status")).ToContainTextAsync("Deze chat is niet meer van u", new() { Timeout = 20_000 });
            var unsent = agent.Locator("#messages li.unsent", new() { HasText = "Geschreven voor de overdracht" });
            await Assertions.Expect(unsent).ToContainTextAsync("Niet verstuurd", new() { Timeout = 20_000 });
            await Assertions.Expect(agent.Locator("#messages li.pending")).ToHaveCountAsync(0);
        }

        await Accessibility.AssertNoViolationsAsync(agent);
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).Not.ToContainTextAsync("Geschreven voor de overdracht");
    }

    /// <summary>A resident waiting in the queue (a chat starts only while an agent is available).</summary>
    private async Task<IPage> QueuedResidentAsync(RunningServer server, bool withAgent = true)
    {
        if (withAgent)
        {
            await ChatFlowTests.SignedInAvailableAgentAsync(server, "ria", "Ria", browser.Chromium);
        }

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        return resident;
    }
}
