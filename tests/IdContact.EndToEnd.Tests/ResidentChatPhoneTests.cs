using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The resident's chat as a resident meets it on a small touch phone, in English.</summary>
public class ResidentChatPhoneTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_conversation_is_not_numbered_and_a_chat_the_agent_ends_leaves_no_box_or_end_button_but_the_save_button_focused()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "dana", "Dana", browser.Chromium);

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new()
        {
            Locale = "en-GB",
            ViewportSize = new() { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move&lang=en");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("You are chatting with Dana.");

        // The lines are speech bubbles, not a numbered list (the shared sheet numbers every ol), on both sides.
        // (Expectations: the agent's chat page may still be loading after the take.)
        await Assertions.Expect(resident.Locator("#messages")).ToHaveCSSAsync("list-style-type", "none");
        await Assertions.Expect(resident.Locator("#messages")).ToHaveCSSAsync("padding-left", "0px");
        await Assertions.Expect(agent.Locator("#messages")).ToHaveCSSAsync("list-style-type", "none");

        // A line read back after a reload (rendered by the server) is one line of name, text and time, as a live one is;
        // a message's own line break stays.
        await resident.GetByLabel("Message").FillAsync("first\nsecond");
        await resident.GetByLabel("Message").PressAsync("Enter");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("second");
        await resident.ReloadAsync();
        var joined = resident.Locator("#messages li", new() { HasText = "has joined" });
        Assert.Matches(@"^Notice Dana has joined the chat\. \d\d:\d\d$", await joined.EvaluateAsync<string>("e => e.innerText"));
        Assert.Equal("first\nsecond", await resident.Locator("#messages li .text", new() { HasText = "second" }).EvaluateAsync<string>("e => e.innerText"));

        // The empty message box (required, so :invalid) looks like the filled one, not like an error.
        var box = resident.GetByLabel("Message");
        const string Look = "e => { e.blur(); const s = getComputedStyle(e); return [s.borderColor, s.borderBottomWidth, s.backgroundColor].join(' '); }";
        var empty = await box.EvaluateAsync<string>(Look);
        await box.FillAsync("Hello");
        Assert.Equal(await box.EvaluateAsync<string>(Look), empty);
        await box.FillAsync("");

        // The resident is typing when the agent ends the chat: the box and "End chat" go, the lines stay to be saved.
        await resident.GetByLabel("Message").FocusAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("The chat has ended. The conversation has been deleted.");
        await Assertions.Expect(resident.GetByLabel("Message")).ToBeHiddenAsync();
        await Assertions.Expect(resident.GetByRole(AriaRole.Button, new() { Name = "End chat" })).ToBeHiddenAsync();
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Dana has joined the chat.");
        await Assertions.Expect(resident.GetByRole(AriaRole.Button, new() { Name = "Save conversation" })).ToBeFocusedAsync();
    }

    /// <summary>The end of a chat is no dead end: the way back to the municipality's website appears (here the demo's).</summary>
    [Fact]
    public async Task A_chat_the_agent_ends_shows_the_link_back_to_the_municipal_website()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "eva", "Eva", browser.Chromium);

        // The staff queue is no indented list either (the shared sheet indents every ul and its items).
        // (The panel is redrawn by script, so the check retries rather than holding on to one element.)
        await Assertions.Expect(agent.Locator(".queue-lines")).ToHaveCSSAsync("padding-left", "0px");
        await Assertions.Expect(agent.Locator("#queue-chats")).ToHaveCSSAsync("padding-left", "0px");

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        var back = resident.GetByRole(AriaRole.Link, new() { Name = "Terug naar de website van Gemeente Arnhem" });
        await Assertions.Expect(back).ToBeHiddenAsync();
        // The page title says the state too (WCAG 2.4.2), not only the status line.
        await Assertions.Expect(resident).ToHaveTitleAsync("Wachten op een medewerker – Gemeente Arnhem");

        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Eva.");
        await Assertions.Expect(resident).ToHaveTitleAsync("Chat met Eva – Gemeente Arnhem");
        // The agent's own chats are no indented list either.
        await Assertions.Expect(agent.Locator("#my-chats")).ToHaveCSSAsync("padding-left", "0px");
        await Assertions.Expect(agent.Locator("#my-chats li").First).ToHaveCSSAsync("padding-left", "0px");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();

        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("De chat is beëindigd. Het gesprek is verwijderd.");
        await Assertions.Expect(resident).ToHaveTitleAsync("Chat beëindigd – Gemeente Arnhem");
        await Assertions.Expect(back).ToBeVisibleAsync();
        Assert.Equal(server.DemoSiteUrl + "/arnhem", await back.GetAttributeAsync("href"));
    }
    /// <summary>The chat's "Nederlands" link works in a browser that prefers English, and the chat stays Dutch to its end.</summary>
    [Fact]
    public async Task A_resident_whose_browser_prefers_English_switches_the_chat_to_Dutch_and_it_stays_Dutch()
    {
        await using var server = await RunningServer.StartAsync();
        await ChatFlowTests.SignedInAvailableAgentAsync(server, "eva", "Eva", browser.Chromium);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "en-US" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        await Assertions.Expect(resident.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await resident.GetByRole(AriaRole.Link, new() { Name = "Nederlands" }).ClickAsync();
        await Assertions.Expect(resident.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("main")).ToContainTextAsync("U heeft de chat beëindigd.");
    }
}
