using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The resident's conversation on a small screen: a region that scrolls by itself with the message box always in view,
/// a resident reading back not pulled down, and their own waiting line shown as the server will store it.
/// </summary>
public class ResidentChatViewTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>The agent's side sends the lines within a minute: past the default message limit, which counts it too.</summary>
    private static readonly string[] ManyLines = ["--Desk:ChatMessagesPerMinute", "100"];

    [Fact]
    public async Task After_sixty_lines_the_message_box_and_the_newest_line_stay_in_view_on_a_phone_and_at_320_px()
    {
        await using var server = await RunningServer.StartAsync(ManyLines);
        var (_, resident) = await ChattingOnAPhoneAsync(server, "sam", "Sam", lines: 60);
        var box = resident.GetByLabel("Bericht");
        var newest = resident.Locator("#messages li", new() { HasText = "Regel 60" });
        await Assertions.Expect(newest).ToHaveCountAsync(1);
        await Assertions.Expect(box).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(newest).ToBeInViewportAsync();

        // Read back after a reload (lines rendered by the server), and on the narrowest phone: the same.
        await resident.ReloadAsync();
        await Assertions.Expect(box).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(newest).ToBeInViewportAsync();
        await resident.SetViewportSizeAsync(320, 568);
        await Assertions.Expect(box).ToBeInViewportAsync(new() { Ratio = 1 });
        // The log scrolls, the page does not scroll sideways (WCAG 1.4.10).
        Assert.True(await resident.EvaluateAsync<bool>("() => { const log = document.getElementById('chat-log'); return log.scrollHeight > log.clientHeight; }"));
        Assert.True(await resident.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // 400 % zoom of a 1280 × 1024 screen: too low for log and box together, so the log keeps a readable height and
        // the page scrolls as well, still only up and down.
        await resident.SetViewportSizeAsync(320, 256);
        Assert.True(await resident.Locator("#chat-log").EvaluateAsync<double>("log => log.clientHeight") >= 100);
        Assert.True(await resident.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await box.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(box).ToBeInViewportAsync();
    }

    [Fact]
    public async Task A_resident_who_scrolled_up_stays_there_and_a_button_reached_by_keyboard_takes_them_to_the_new_lines()
    {
        await using var server = await RunningServer.StartAsync(ManyLines);
        var (agent, resident) = await ChattingOnAPhoneAsync(server, "kim", "Kim", lines: 30);

        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Regel 30" })).ToBeInViewportAsync();
        var button = resident.GetByRole(AriaRole.Button, new() { Name = "Nieuwe berichten" });
        await Assertions.Expect(button).ToBeHiddenAsync();

        // Scrolled up to read the start: a new line leaves them there and says so.
        await resident.Locator("#chat-log").EvaluateAsync("log => { log.scrollTop = 0; }");
        await ChatFlowTests.Send(agent, "Een nieuw antwoord");
        var fresh = resident.Locator("#messages li", new() { HasText = "Een nieuw antwoord" });
        await Assertions.Expect(fresh).ToHaveCountAsync(1);
        await Assertions.Expect(button).ToBeVisibleAsync();
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Regel 1" }).First).ToBeInViewportAsync();
        await Assertions.Expect(fresh).Not.ToBeInViewportAsync();
        Assert.Equal(0, await resident.Locator("#chat-log").EvaluateAsync<double>("log => log.scrollTop"));
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // By keyboard: the button follows the log; it brings the new line into view, goes, and leaves the focus on the log.
        await resident.Locator("#chat-log").FocusAsync();
        await resident.Keyboard.PressAsync("Tab");
        await Assertions.Expect(button).ToBeFocusedAsync();
        await resident.Keyboard.PressAsync("Enter");
        await Assertions.Expect(fresh).ToBeInViewportAsync();
        await Assertions.Expect(button).ToBeHiddenAsync();
        await Assertions.Expect(resident.Locator("#chat-log")).ToBeFocusedAsync();

        // At the bottom, the next line is followed without a button.
        await ChatFlowTests.Send(agent, "En nog een");
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "En nog een" })).ToBeInViewportAsync();
        await Assertions.Expect(button).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_residents_waiting_line_shows_its_combining_marks_clipped_as_stored_and_a_line_the_server_would_refuse_is_refused_at_once()
    {
        await using var server = await RunningServer.StartAsync();
        await ChatFlowTests.SignedInAvailableAgentAsync(server, "noor", "Noor", browser.Chromium);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatFlowTests.ChatPage());

        // Twelve marks on one letter, and a run that an invisible joiner does not end: four of each run stay.
        var marks = new string('\u0301', 12);
        var typed = $"Zalgo e{marks} en a\u0300\u0300\u0300\u200D\u0300\u0300\u0300 klaar";
        var shown = $"Zalgo e{new string('\u0301', 4)} en a\u0300\u0300\u0300\u200D\u0300 klaar";
        // The server cannot store it yet: the line waits, already as it will be stored; once stored, it reads the same.
        await WaitingLines.AssertShownAsStoredAsync(server, resident, typed, shown, [resident], async () =>
        {
            // More lines than the server takes (21): said at once, never shown as a line, kept in the box.
            var tooMany = string.Join("\n", Enumerable.Range(1, 22).Select(i => $"regel {i}"));
            await ChatFlowTests.Send(resident, tooMany);
            await Assertions.Expect(resident.Locator("#send-error")).ToHaveTextAsync("Een bericht mag hoogstens 21 regels hebben.");
            await Assertions.Expect(resident.GetByLabel("Bericht")).ToHaveValueAsync(tooMany);
            await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "regel 22" })).ToHaveCountAsync(0);
        });
    }

    /// <summary>A chat the agent took, the resident on a 375 × 667 phone, and the agent's lines "Regel 1" to "Regel {lines}".</summary>
    private async Task<(IPage Agent, IPage Resident)> ChattingOnAPhoneAsync(RunningServer server, string user, string name, int lines)
    {
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, user, name);
        await resident.SetViewportSizeAsync(375, 667);
        for (var i = 1; i <= lines; i++)
        {
            await ChatFlowTests.Send(agent, $"Regel {i}");
        }

        return (agent, resident);
    }
}
