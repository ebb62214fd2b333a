using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The staff menu in Chromium: on the agent's chat page (which had no sign-out) it is a named landmark that reflows at
/// 320 px and passes axe; after an action the result message has the focus, so it is read out and Tab starts there.
/// </summary>
public sealed class StaffNavPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_chat_page_has_the_staff_menu_and_an_actions_result_takes_the_focus()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "nora", "Nora Navigatie", browser.Chromium, setUp: Layout.WatchNetworkAsync);

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());
        await agent.Locator("article.contact", new() { HasText = "Chat" }).GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        var chatUrl = agent.Url;

        var menu = agent.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Afspraken" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Beheeracties" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Mijn account" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);
        var layout = new Layout();
        await agent.SetViewportSizeAsync(320, 640);
        await layout.ReflowsAsync(agent, "agent chat at 320 px");
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Bezetting" })).ToHaveAttributeAsync("aria-current", "page");
        await layout.ReflowsAsync(agent, "staffing at 320 px");
        layout.AssertNone();
        await agent.SetViewportSizeAsync(1280, 720);

        // Creating an account: the notice with its one-time password has the focus on the fresh page.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await agent.GetByLabel("Gebruikersnaam").FillAsync("focus-bert");
        await agent.GetByLabel("Naam", new() { Exact = true }).FillAsync("Bert");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#admin-notice")).ToBeFocusedAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        // Ending the chat (post, redirect, get): the overview's result message has it.
        await agent.GotoAsync(chatUrl);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("message=chat-ended"));
        await Assertions.Expect(agent.Locator("main .notice[role=status]")).ToBeFocusedAsync();

        // Keyboard: the sign-out button is reached and works from the menu.
        await menu.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" })).ToBeVisibleAsync();
    }
}
