using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The keyboard and screen-reader walk of the agent's day and the resident's chat (2026-11-29, docs/development.md
/// "Accessibility"): what a screen reader is told when the page changes by itself, and where the focus is after it.
/// </summary>
public class KeyboardWalkTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>
    /// The overview's list is swapped whole at every refresh: as a live region it would read the whole list (the data of
    /// every resident on it) or, swapped as a new element, nothing at all. An arrival is said instead in a status line of
    /// its own that stays put: once per arrival, the same words again for the next one of its kind, nothing on a refresh
    /// that brings no one new, and never a resident's data.
    /// </summary>
    [Fact]
    public async Task An_arrival_on_the_overview_is_said_once_in_a_status_line_of_its_own_and_the_list_is_not_read_again()
    {
        await using var server = await RunningServer.StartAsync("--Desk:AgentRefreshSeconds", "600");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "wout", "Wout Walk", browser.Chromium);
        Assert.Null(await agent.Locator("#contacts").GetAttributeAsync("aria-live"));
        Assert.Equal(0, await agent.Locator("#contacts [aria-live], #contacts [role=status], #contacts [role=alert]").CountAsync());
        var said = agent.Locator("#arrival-status");
        await Assertions.Expect(said).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(said).ToHaveAttributeAsync("aria-atomic", "true");
        await Assertions.Expect(said).ToHaveTextAsync("");
        // Every text the line takes, in order (a screen reader speaks each change of a live region; the same words set
        // again may be no change to it, so the line is emptied in between).
        await said.EvaluateAsync(
            "e => { window.__said = []; window.__states = []; new MutationObserver(() => { const t = e.textContent.trim(); window.__states.push(t); if (t) window.__said.push(t); }).observe(e, { childList: true, characterData: true, subtree: true }); }");

        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var flow = server.App.Services.GetRequiredService<ChatFlow>();
        async Task ChatArrivesAsync(int count)
        {
            var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
            await flow.ArriveAsync("arnhem", chat, CancellationToken.None);
            await Assertions.Expect(agent.Locator("article.contact[data-alert='chat']")).ToHaveCountAsync(count);
        }

        // A keyboard agent on the availability button: the arrival takes no focus from there.
        var away = agent.GetByRole(AriaRole.Button, new() { Name = "Afwezig melden" });
        await away.FocusAsync();
        await ChatArrivesAsync(1);
        await agent.WaitForFunctionAsync("() => window.__said.length === 1");
        await Assertions.Expect(away).ToBeFocusedAsync();
        await ChatArrivesAsync(2);
        await agent.WaitForFunctionAsync("() => window.__said.length === 2");

        // A refresh that brings no one new says nothing.
        await agent.Locator("#contacts").EvaluateAsync("e => { e.dataset.old = 'yes'; }");
        await server.App.Services.GetRequiredService<ContactNotifier>().ChangedAsync("arnhem");
        await agent.WaitForFunctionAsync("() => !document.getElementById('contacts').dataset.old");
        var texts = await agent.EvaluateAsync<string[]>("window.__said");
        Assert.Equal(["Nieuwe chat in de wachtrij", "Nieuwe chat in de wachtrij"], texts);
        Assert.Equal(["Nieuwe chat in de wachtrij", "", "Nieuwe chat in de wachtrij"], (await agent.EvaluateAsync<string[]>("window.__states")).SkipWhile(t => t == "").ToArray());
        await Assertions.Expect(said).ToHaveTextAsync("Nieuwe chat in de wachtrij");
    }

    /// <summary>
    /// The agent's chat page fetches Mijn chats again at every renewal and on each change: a keyboard agent on one of its
    /// links stays on that link, not thrown back to the page's start.
    /// </summary>
    [Fact]
    public async Task The_focus_stays_on_a_link_under_Mijn_chats_when_the_list_is_fetched_again()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1");
        var (agent, _) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "mila", "Mila Mijn");
        var link = agent.Locator("#my-chats a[aria-current=page]");
        await link.FocusAsync();
        await agent.Locator("#my-chats").EvaluateAsync("e => { e.dataset.old = 'yes'; }");
        await agent.WaitForFunctionAsync("() => !document.getElementById('my-chats').dataset.old");
        await Assertions.Expect(link).ToBeFocusedAsync();
    }

    /// <summary>
    /// The resident ends the chat while the agent is in the message box: the box is disabled, which would drop the focus
    /// to the page's start; it goes to the line that says the chat ended.
    /// </summary>
    [Fact]
    public async Task When_the_resident_ends_the_chat_the_agents_focus_goes_from_the_message_box_to_the_line_that_says_so()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "eva", "Eva Einde");
        var box = agent.GetByLabel("Bericht");
        await box.FocusAsync();
        await agent.Keyboard.TypeAsync("Een moment");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        var status = agent.Locator("#live-status");
        await Assertions.Expect(status).ToContainTextAsync("De chat is beëindigd");
        await Assertions.Expect(box).ToBeDisabledAsync();
        await Assertions.Expect(status).ToBeFocusedAsync();
    }

    /// <summary>
    /// The resident waits in the chat's queue: its status line is a live region, read again at every write. A chat
    /// arriving behind them (which asks every waiting page for its status) and the page's own catch-ups must leave it
    /// alone; a real change (the agent takes the chat) is written once.
    /// </summary>
    [Fact]
    public async Task The_residents_queue_status_is_not_said_again_when_nothing_in_it_changed()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "quinn", "Quinn Queue", browser.Chromium);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        var status = resident.Locator("#chat-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(status).ToHaveTextAsync("U wacht op een medewerker. U bent nummer 1 in de wachtrij.");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-asked", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await status.EvaluateAsync("e => { window.__writes = []; new MutationObserver(() => window.__writes.push(e.textContent)).observe(e, { childList: true, characterData: true, subtree: true }); }");
        var asked = int.Parse(await status.GetAttributeAsync("data-asked") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        var (chat, _) = await server.App.Services.GetRequiredService<ChatStore>().CreateAsync("arnhem", "report_move", CancellationToken.None);
        await server.App.Services.GetRequiredService<ChatFlow>().ArriveAsync("arnhem", chat, CancellationToken.None);
        await resident.WaitForFunctionAsync("n => Number(document.getElementById('chat-status').dataset.asked) > n", asked);
        Assert.Empty(await resident.EvaluateAsync<string[]>("window.__writes"));

        await agent.ReloadAsync();
        // First come, first served: the queue's button takes this resident, not the chat that arrived behind them.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Langst wachtende chat aannemen" }).ClickAsync();
        await agent.WaitForPageAsync(new System.Text.RegularExpressions.Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(status).ToHaveTextAsync("U chat met Quinn Queue.");
        Assert.Equal(["U chat met Quinn Queue."], await resident.EvaluateAsync<string[]>("window.__writes"));
    }

    /// <summary>
    /// The agent opens the resident's identification dialog, not a control of the resident's (WCAG 2.4.3): the focus moves
    /// into it, Escape closes it, and the focus goes back to the message box the resident was typing in.
    /// </summary>
    [Fact]
    public async Task The_residents_identification_dialog_takes_the_focus_and_Escape_gives_it_back_to_the_message_box()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "ida", "Ida Identiteit");
        var box = resident.GetByLabel("Bericht");
        await box.FocusAsync();
        await resident.Keyboard.TypeAsync("Ik typ nog");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        var dialog = resident.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        Assert.True(await dialog.EvaluateAsync<bool>("d => d.contains(document.activeElement)"), "The focus did not move into the dialog.");
        await resident.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(box).ToBeFocusedAsync();
        await Assertions.Expect(box).ToHaveValueAsync("Ik typ nog");
    }
}

/// <summary>The keyboard and screen-reader walk of the agent's video call (see <see cref="KeyboardWalkTests"/>).</summary>
public class KeyboardWalkVideoTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    /// <summary>
    /// The agent asks for identification by keyboard and goes on to Microfoon uit: the data panel, swapped whole when the
    /// result arrives, is no live region (it would read all of the data, or nothing); a status line says the outcome,
    /// and the focus stays where the agent is.
    /// </summary>
    [Fact]
    public async Task A_result_during_the_video_call_is_said_in_a_status_line_while_the_agent_stays_on_the_call_controls()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "vik", "Vik Video", browser.Chromium);
        var resident = await VideoCallTests.InCallAsync(agent, browser.Chromium);
        Assert.Null(await agent.Locator("#details").GetAttributeAsync("aria-live"));
        var said = agent.Locator("#details-status");
        await Assertions.Expect(said).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(said).ToHaveTextAsync("");

        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Assertions.Expect(agent.Locator("#identify-state")).ToBeFocusedAsync();
        var mute = agent.Locator("#mute");
        await Assertions.Expect(mute).ToBeEnabledAsync();
        await mute.FocusAsync();

        var dialog = resident.GetByRole(AriaRole.Dialog);
        var popup = await resident.RunAndWaitForPopupAsync(() => dialog.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).ClickAsync());
        await popup.WaitForPageAsync("**/arnhem/auth-test/**");
        await popup.Locator("input[name='attr:fullname']").FillAsync("Sanne de Boer");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Sanne de Boer");
        await Assertions.Expect(said).ToHaveTextAsync("Identificatie gelukt.");
        Assert.DoesNotContain("Sanne", await said.TextContentAsync() ?? "", StringComparison.Ordinal);
        await Assertions.Expect(mute).ToBeFocusedAsync();
    }
}
