using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A resident on one desk instance and the agent on another, sharing PostgreSQL and the Redis backplane (X4).</summary>
public class ChatScaleOutTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_resident_on_one_instance_and_an_agent_on_the_other_chat_normally()
    {
        await using var pair = await TwoInstances.StartAsync(
            "chat",
            new { Tag = "chat", Name = "Chatten", ImagePath = "/x.svg", Start = "/{tenant}/chat" },
            new { Chat = new { PurposesWithoutIdentification = new[] { "report_move" } } });
        var (first, second, tenant) = (pair.First, pair.Second, pair.Tenant);
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(first, "eva", "Eva", browser.Chromium, tenant, second.BaseUrl);

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync($"{first.BaseUrl}/{tenant}/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        // Wait for the chat page's own content rather than the load event: the page keeps a live connection open.
        await resident.WaitForUrlCommittedAsync($"**/{tenant}/chat/c/**");
        await Assertions.Expect(resident.GetByLabel("Bericht")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ChatFlowTests.Send(resident, "Bericht via instantie een");

        // The overview on the second instance shows the chat the first instance queued, live.
        var chat = agent.Locator("article.contact", new() { HasText = "Chat" });
        await chat.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Bericht via instantie een");
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Eva.");

        await ChatFlowTests.Send(agent, "Antwoord via instantie twee");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Antwoord via instantie twee");
        await ChatFlowTests.Send(resident, "Nog een via een");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Nog een via een");
    }
}
