using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Redis, the SignalR backplane, goes away mid-chat (cut with <see cref="TcpRelay"/>): pushes reach nobody, not even
/// pages on the same instance, so the chat pages catch up by themselves (Desk:AgentRefreshSeconds, the agent's
/// presence renewal) until it is back.
/// </summary>
public class ChatBackplaneDownTests(Browser browser) : IClassFixture<Browser>
{
    private static readonly string[] FastCatchUp = ["--Desk:AgentRefreshSeconds", "2", "--Desk:Chat:PresenceRenewSeconds", "2"];

    [Fact]
    public async Task With_redis_down_a_resident_and_an_agent_on_two_instances_still_see_each_others_lines_and_the_end()
    {
        var redis = TwoInstances.Redis.Split(':');
        await using var relay = TcpRelay.Start(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var pair = await TwoInstances.StartAsync(
            "chatdown",
            new { Tag = "chat", Name = "Chatten", ImagePath = "/x.svg", Start = "/{tenant}/chat" },
            new { Chat = new { PurposesWithoutIdentification = new[] { "report_move" } } },
            $"127.0.0.1:{relay.Port}",
            FastCatchUp);
        var (first, second, tenant) = (pair.First, pair.Second, pair.Tenant);
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(first, "eva", "Eva", browser.Chromium, tenant, second.BaseUrl);
        var resident = await StartChatAsync(first.BaseUrl, tenant);
        await TakeAsync(agent, resident);

        relay.Stop(); // Both instances lose Redis; the pages keep their connections to their own instance.
        await ChatFlowTests.Send(resident, "Geschreven zonder Redis");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Geschreven zonder Redis", new() { Timeout = 20_000 });
        await ChatFlowTests.Send(agent, "Antwoord zonder Redis");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Antwoord zonder Redis", new() { Timeout = 20_000 });

        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("De chat is beëindigd", new() { Timeout = 20_000 });

        // Fetched by the catch-up and perhaps pushed too: each line once.
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Geschreven zonder Redis" })).ToHaveCountAsync(1);
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Antwoord zonder Redis" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task With_redis_configured_but_down_one_instance_still_delivers_lines_the_take_and_the_queue_place()
    {
        var redis = TwoInstances.Redis.Split(':');
        await using var relay = TcpRelay.Start(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await RunningServer.StartAsync(["--Desk:Redis", $"127.0.0.1:{relay.Port}", .. FastCatchUp]);
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "femke", "Femke", browser.Chromium);
        var waiting = await StartChatAsync(server.BaseUrl, "arnhem");
        var next = await StartChatAsync(server.BaseUrl, "arnhem");
        await Assertions.Expect(next.Locator("#chat-status")).ToContainTextAsync("U bent nummer 2 in de wachtrij");

        relay.Stop();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Langst wachtende chat aannemen" }).ClickAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(agent.Locator("#live-status")).ToBeAttachedAsync();
        await Assertions.Expect(waiting.Locator("#chat-status")).ToHaveTextAsync("U chat met Femke.", new() { Timeout = 20_000 });
        await Assertions.Expect(next.Locator("#chat-status")).ToContainTextAsync("U bent nummer 1 in de wachtrij", new() { Timeout = 20_000 });

        await ChatFlowTests.Send(waiting, "Zelfde instantie zonder Redis");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Zelfde instantie zonder Redis", new() { Timeout = 20_000 });
        await ChatFlowTests.Send(agent, "Antwoord op dezelfde instantie");
        await Assertions.Expect(waiting.GetByRole(AriaRole.Log)).ToContainTextAsync("Antwoord op dezelfde instantie", new() { Timeout = 20_000 });

        await waiting.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#live-status")).ToContainTextAsync("De chat is beëindigd", new() { Timeout = 20_000 });
    }

    private async Task<IPage> StartChatAsync(string baseUrl, string tenant)
    {
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync($"{baseUrl}/{tenant}/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        // Wait for the chat page's own content rather than the load event: the page keeps a live connection open.
        await resident.WaitForUrlCommittedAsync($"**/{tenant}/chat/c/**");
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("in de wachtrij", new() { Timeout = 30_000 });
        return resident;
    }

    /// <summary>The agent takes the one waiting chat from the overview; the resident's page says so.</summary>
    private static async Task TakeAsync(IPage agent, IPage resident)
    {
        var chat = agent.Locator("article.contact", new() { HasText = "Chat" });
        await chat.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("U chat met");
    }
}
