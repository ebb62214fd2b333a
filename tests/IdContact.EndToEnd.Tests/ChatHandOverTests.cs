using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class ChatFlowTests
{
    /// <summary>
    /// After a hand-over the new agent reads back what the colleague wrote: those lines carry the colleague's name, not
    /// "U (colleague)" as if the new agent had written them; the new agent's own lines still say "U (name)".
    /// </summary>
    [Fact]
    public async Task After_a_hand_over_the_colleagues_lines_say_whose_they_are_not_U()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, _) = await ChattingAsync(server, browser.Chromium, "eva", "Eva Eerst");
        var colleague = await SignedInAvailableAgentAsync(server, "bas", "Bas Bakker", browser.Chromium);
        await Send(agent, "Goedemorgen, waarmee kan ik helpen?");
        var mine = agent.Locator("#messages li.agent", new() { HasText = "Goedemorgen" });
        await Assertions.Expect(mine.Locator(".who")).ToHaveTextAsync("U (Eva Eerst)");

        // The colleague became available after the chat page loaded: the list of colleagues comes with the page.
        var chatUrl = agent.Url;
        await agent.ReloadAsync();
        await agent.GetByLabel("Overdragen aan").SelectOptionAsync(new SelectOptionValue { Label = "Bas Bakker" });
        await agent.GetByRole(AriaRole.Button, new() { Name = "Overdragen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk\\?message=chat-transferred"));

        await colleague.GotoAsync(chatUrl);
        var hers = colleague.Locator("#messages li.agent", new() { HasText = "Goedemorgen" });
        await Assertions.Expect(hers.Locator(".who")).ToHaveTextAsync("Eva Eerst");
        await Send(colleague, "Ik neem het over.");
        var his = colleague.Locator("#messages li.agent:not(.pending)", new() { HasText = "Ik neem het over." });
        await Assertions.Expect(his.Locator(".who")).ToHaveTextAsync("U (Bas Bakker)");
        await colleague.ReloadAsync();
        await Assertions.Expect(his.Locator(".who")).ToHaveTextAsync("U (Bas Bakker)");
        await Assertions.Expect(hers.Locator(".who")).ToHaveTextAsync("Eva Eerst");
    }
}
