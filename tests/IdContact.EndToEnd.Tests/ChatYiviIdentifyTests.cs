using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// C4 with Yivi itself (not the test sign-in): the agent asks in a running chat, the resident picks Yivi in the dialog,
/// cancels once, then shares; each time the resident lands back in the same chat with its history and the agent sees
/// exactly what was proven.
/// </summary>
public class ChatYiviIdentifyTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Asked_in_a_chat_the_resident_cancels_Yivi_once_then_shares_and_both_sides_see_what_was_proven()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "yara", "Yara", browser.Chromium);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForURLAsync("**/arnhem/chat/c/**");
        var chatUrl = resident.Url;
        await resident.GetByRole(AriaRole.Textbox).FillAsync("Hallo, ik verhuis.");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();

        // First time: the resident cancels on the Yivi page and continues without proven details.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        await resident.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Yivi" }).ClickAsync();
        await resident.WaitForURLAsync("**/arnhem/auth-irma/session**");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Annuleren" }).ClickAsync();
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("U heeft het delen geannuleerd");
        await resident.GetByRole(AriaRole.Link, new() { Name = "Verder" }).ClickAsync();
        await resident.WaitForURLAsync(chatUrl);
        await Assertions.Expect(resident.Locator("#messages")).ToContainTextAsync("Hallo, ik verhuis.");
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Identificatie mislukt: stel de gebruikelijke controlevragen.");
        await Assertions.Expect(agent.Locator("#details")).Not.ToContainTextAsync("Jan de Vries");

        // Second request: Yivi shares, the chat comes back with its history and the agent sees the proven details.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        await resident.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Yivi" }).ClickAsync();
        await resident.WaitForURLAsync("**/arnhem/auth-irma/session**");
        await resident.GetByRole(AriaRole.Link, new() { Name = "Simuleer scannen (demo)" }).ClickAsync();
        await resident.GetByRole(AriaRole.Button, new() { Name = "Gegevens delen" }).ClickAsync();
        await resident.WaitForURLAsync(chatUrl);
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Identificatie gelukt.");
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Hallo, ik verhuis." })).ToHaveCountAsync(1);
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Jan de Vries");
    }
}
