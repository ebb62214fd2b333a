using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The agent's page judges a message by the resident's page's rules (<c>IdContactChatRules</c>, the server's
/// <see cref="ChatRules"/>): its waiting line shows what will be stored, a line the server would refuse never leaves the
/// page, and the character count counts what is judged.
/// </summary>
public class AgentChatRulesTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_message_with_more_lines_than_allowed_is_refused_at_once_kept_in_the_box_and_never_sent()
    {
        // Not the default (20): the page takes the server's setting.
        await using var server = await RunningServer.StartAsync("--Desk:Chat:MaxLineBreaks", "5");
        var hub = new SentInvocations();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "lotte", "Lotte", hub.WatchAsync);

        var tooMany = string.Join("\n", Enumerable.Range(1, 7).Select(i => $"regel {i}"));
        await ChatFlowTests.Send(agent, tooMany);
        await Assertions.Expect(agent.Locator("#send-error")).ToHaveTextAsync("Een bericht mag hoogstens 6 regels hebben.");
        Assert.Equal("alert", await agent.Locator("#send-error").GetAttributeAsync("role"));
        await Assertions.Expect(agent.GetByLabel("Bericht")).ToHaveValueAsync(tooMany);
        await Assertions.Expect(agent.Locator("#messages li", new() { HasText = "regel 7" })).ToHaveCountAsync(0);
        Assert.Equal(0, hub.Sends);

        // A line within the rules goes out (so the watch does see sends); the refused one never reached the resident.
        await ChatFlowTests.Send(agent, "Korter");
        await Assertions.Expect(resident.Locator("#messages li[data-seq]", new() { HasText = "Korter" })).ToHaveCountAsync(1);
        Assert.Equal(1, hub.Sends);
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).Not.ToContainTextAsync("regel 7");
    }

    [Fact]
    public async Task The_agents_waiting_line_shows_its_combining_marks_clipped_as_stored()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "bram", "Bram");

        var typed = $"Zalgo e{new string('\u0301', 10)} klaar";
        var shown = $"Zalgo e{new string('\u0301', 4)} klaar";
        // The server cannot store it yet: the line waits, already as it will be stored; once stored, both pages read it so.
        await WaitingLines.AssertShownAsStoredAsync(server, agent, typed, shown, [agent, resident]);
    }

    [Fact]
    public async Task The_count_counts_what_is_judged_so_a_text_within_the_limit_is_sent_and_one_over_it_is_refused()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "fleur", "Fleur");
        var box = agent.GetByLabel("Bericht");
        var count = agent.Locator("#message-count");

        // 2012 typed, 1996 judged: the 16 marks past four are dropped on storing, so they are not counted either.
        var typed = new string('a', 1990) + " e" + new string('\u0301', 20);
        Assert.Equal(1996, ChatRules.Tidy(typed).Length);
        await box.FillAsync(typed);
        await Assertions.Expect(count).ToHaveTextAsync("Nog 4 tekens");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#messages li[data-seq] .text", new() { HasText = "aaaa" })).ToHaveTextAsync(ChatRules.Tidy(typed));
        await Assertions.Expect(agent.Locator("#send-error")).ToBeEmptyAsync();
        await Assertions.Expect(count).ToBeEmptyAsync();

        // One character over, as the count says, is refused as too long and kept.
        var tooLong = new string('b', 2001);
        await box.FillAsync(tooLong);
        await Assertions.Expect(count).ToHaveTextAsync("1 teken te veel");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#send-error")).ToHaveTextAsync("Een bericht mag hoogstens 2000 tekens lang zijn.");
        await Assertions.Expect(box).ToHaveValueAsync(tooLong);
        await Assertions.Expect(agent.Locator("#messages li.pending")).ToHaveCountAsync(0);
    }

    /// <summary>Counts the agent page's <c>Send</c> invocations on its chat hub, passing every frame on unchanged.</summary>
    private sealed class SentInvocations
    {
        private int sends;

        public int Sends => Volatile.Read(ref sends);

        public Task WatchAsync(IBrowserContext context) => context.RouteWebSocketAsync(new Regex("/desk/chat/hub"), page =>
        {
            var toServer = page.ConnectToServer();
            page.OnMessage(frame =>
            {
                if (frame.Text is { } text)
                {
                    // SignalR's JSON protocol: one invocation per record, named by its target.
                    if (text.Contains("\"target\":\"Send\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref sends);
                    }

                    toServer.Send(text);
                }
                else if (frame.Binary is { } bytes)
                {
                    toServer.Send(bytes);
                }
            });
        });
    }
}
