using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A resident cannot drown the agent's screen reader or screen: long lines spoken shortened, bursts counted, tall lines scrolled.</summary>
public class ChatScreenReaderTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_agent_hears_a_long_line_shortened_and_a_burst_as_a_count_while_the_log_shows_every_line_whole()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "sanne", "Sanne");
        var announcer = agent.Locator("#announcer");
        var log = agent.GetByRole(AriaRole.Log);

        // The log itself is silent; the announcer is the page's one voice for arriving lines.
        Assert.Equal("off", await log.GetAttributeAsync("aria-live"));
        Assert.Equal("status", await announcer.GetAttributeAsync("role"));

        // A line of 1,000 characters: shown whole, spoken as about 200 and its length.
        var longLine = string.Concat(Enumerable.Repeat("Mijn vraag gaat over de verhuizing. ", 28))[..1000];
        await ChatFlowTests.Send(resident, longLine);
        await Assertions.Expect(log.Locator("li", new() { HasText = longLine })).ToHaveCountAsync(1);
        await Assertions.Expect(announcer).ToHaveTextAsync(new Regex("^Inwoner: Mijn vraag gaat over de verhuizing\\..{100,220}… \\(lang bericht, 1000 tekens\\)$"));

        // Three lines at once, once the long line's two seconds are over: the first is spoken at once, the other two
        // are counted in one announcement; each line is in the log.
        await Assertions.Expect(agent.Locator("#announcer:not([data-counting])")).ToHaveCountAsync(1);
        await resident.EvaluateAsync("""
            () => {
              const box = document.getElementById('message');
              const form = document.getElementById('send');
              for (const text of ['Eerste', 'Tweede', 'Derde']) { box.value = text; form.requestSubmit(); }
            }
            """);
        await Assertions.Expect(announcer).ToHaveTextAsync("Inwoner: Eerste");
        await Assertions.Expect(announcer).ToHaveTextAsync("2 nieuwe berichten");
        await Assertions.Expect(log.Locator("li", new() { HasText = "Derde" })).ToHaveCountAsync(1);

        // 150 pictographs (600 UTF-16 units, each spoken as its name): counted as 150 characters, each weighing ten, so
        // spoken as the first 20 and the count; a cut never splits one.
        await Assertions.Expect(agent.Locator("#announcer:not([data-counting])")).ToHaveCountAsync(1);
        var thumbs = string.Concat(Enumerable.Repeat("👍🏽", 150));
        await ChatFlowTests.Send(resident, thumbs);
        await Assertions.Expect(log.Locator("li", new() { HasText = thumbs })).ToHaveCountAsync(1);
        await Assertions.Expect(announcer).ToHaveTextAsync($"Inwoner: {string.Concat(Enumerable.Repeat("👍🏽", 20))}… (lang bericht, 150 tekens)");
        await Accessibility.AssertNoViolationsAsync(agent);
    }

    [Fact]
    public async Task A_tall_line_scrolls_in_the_conversation_and_a_line_past_the_cap_stays_in_the_residents_box()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "joost", "Joost");

        // One line past the cap is refused with the reason; its text returns to the box.
        var tooTall = string.Join('\n', Enumerable.Range(1, 22).Select(i => $"regel {i}"));
        await ChatFlowTests.Send(resident, tooTall);
        await Assertions.Expect(resident.Locator("#send-error")).ToHaveTextAsync("Een bericht mag hoogstens 21 regels hebben.");
        await Assertions.Expect(resident.GetByLabel("Bericht")).ToHaveValueAsync(tooTall);

        // Lines at the cap, long enough to wrap: the conversation scrolls in its own region, focusable by keyboard.
        var tall = string.Join('\n', Enumerable.Range(1, 21).Select(i => $"regel {i} " + new string('x', 60)));
        for (var i = 0; i < 3; i++)
        {
            await resident.GetByLabel("Bericht").FillAsync(tall);
            await resident.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
            await Assertions.Expect(resident.Locator("#messages li.pending")).ToHaveCountAsync(0);
        }

        await Assertions.Expect(agent.Locator("#messages li.resident")).ToHaveCountAsync(3);
        foreach (var (width, height) in new[] { (320, 640), (1280, 800) })
        {
            await agent.SetViewportSizeAsync(width, height);
            var sizes = await agent.Locator("#messages").EvaluateAsync<int[]>("l => [l.clientHeight, l.scrollHeight]");
            var (client, scroll) = (sizes[0], sizes[1]);
            Assert.True(client <= 0.6 * height + 1, $"{width} px: the conversation is {client} px high in a window of {height}");
            Assert.True(scroll > client, $"{width} px: the conversation does not scroll");
            await Accessibility.AssertNoViolationsAsync(agent);
        }
    }
}
