using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The agent's chat page says when the resident's page has gone (after Desk:Chat:ResidentGoneSeconds) and when it is back.</summary>
public class ChatResidentGoneTests(Browser browser) : IClassFixture<Browser>
{
    private const string Gone = "De inwoner is niet meer verbonden met de chat (pagina gesloten of verbinding verbroken). U kunt het gesprek beëindigen; komt de inwoner terug, dan ziet u dat hier.";

    [Fact]
    public async Task A_reload_says_nothing_a_closed_page_is_said_after_the_grace_and_a_return_is_said_too()
    {
        // A short grace, so the test need not wait fifteen seconds; long enough for a reload on a busy machine.
        await using var server = await RunningServer.StartAsync("--Desk:Chat:ResidentGoneSeconds", "4");
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "gerda", "Gerda");
        var chatUrl = resident.Url;
        var context = resident.Context;

        // A reload comes back within the grace: past it, the agent's page has said nothing.
        await resident.ReloadAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Gerda.");
        await Task.Delay(TimeSpan.FromSeconds(6));
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("");

        // The tab closes: after the grace the page says so, in its status region.
        await resident.CloseBoundedAsync();
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync(Gone, new() { Timeout = 20_000 });

        // The resident opens the chat again: the agent sees that too.
        var back = await context.NewPageBoundedAsync();
        await back.GotoAsync(chatUrl);
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("De inwoner is weer verbonden.");
    }

    /// <summary>
    /// The resident closed the chat while it waited in the queue, before any agent had it: the agent who takes and opens
    /// it heard no "gone" then, so the page asks on opening and, with no page of the resident answering, says the same.
    /// </summary>
    [Fact]
    public async Task A_resident_who_left_before_the_agent_opened_the_chat_is_said_gone_on_opening()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:ResidentGoneSeconds", "4");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "hanna", "Hanna", browser.Chromium);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("wachtrij");
        await resident.CloseBoundedAsync();

        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new System.Text.RegularExpressions.Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync(Gone, new() { Timeout = 20_000 });
    }
}
