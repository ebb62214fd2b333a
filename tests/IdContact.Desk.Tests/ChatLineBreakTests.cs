using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// One line must not fill the other side's screen or screen reader: at most Desk:Chat:MaxLineBreaks line breaks, refused
/// with a reason for the writer (the page puts the text back in the box), and long runs of blank lines made one.
/// </summary>
public sealed class ChatLineBreakTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    private static readonly string TwentyOneBreaks = string.Join('\n', Enumerable.Range(1, 22).Select(i => $"regel {i}"));

    [Fact]
    public async Task A_resident_line_with_more_line_breaks_than_the_cap_is_refused_with_its_reason()
    {
        var resident = await ResidentAsync();
        await using var residentDisposal = resident.DisposedBounded();

        var refused = await resident.InvokeAsync<JsonElement>("Send", "breaks-resident-1", TwentyOneBreaks);
        Assert.Equal("Een bericht mag hoogstens 21 regels hebben.", refused.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("line").ValueKind);

        // At the cap it goes; a carriage return or U+2028 breaks a line on screen as well, so it counts too.
        var atCap = await resident.InvokeAsync<JsonElement>("Send", "breaks-resident-2", string.Join('\n', Enumerable.Range(1, 21)));
        Assert.Equal(JsonValueKind.Null, atCap.GetProperty("error").ValueKind);
        var sneaky = await resident.InvokeAsync<JsonElement>("Send", "breaks-resident-3", string.Join("\r\u2028", Enumerable.Range(1, 12)));
        Assert.Equal("Een bericht mag hoogstens 21 regels hebben.", sneaky.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_agent_line_with_more_line_breaks_than_the_cap_is_refused_with_its_reason()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "breaks-agent", null);
        var (_, id) = await desk.ChatTakenByAsync(desk.TenantA, (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "breaks-agent"))!);
        var hub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var hubDisposal = hub.DisposedBounded();

        var refused = await hub.InvokeAsync<JsonElement>("Send", id, "breaks-agent-1", TwentyOneBreaks);
        Assert.Equal("Een bericht mag hoogstens 21 regels hebben.", refused.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("line").ValueKind);
    }

    [Fact]
    public async Task Runs_of_more_than_two_blank_lines_become_one_blank_line_silently()
    {
        var resident = await ResidentAsync();
        await using var residentDisposal = resident.DisposedBounded();

        // 60 blank lines (some holding spaces) would pass the cap once collapsed; two blank lines stay as typed.
        var text = "Goedendag" + string.Concat(Enumerable.Repeat("\n \t", 60)) + "\nmijn vraag\n\n\nen verder\r\n\r\n\r\n\r\nklaar";
        var sent = await resident.InvokeAsync<JsonElement>("Send", "blank-runs-1", text);

        Assert.Equal(JsonValueKind.Null, sent.GetProperty("error").ValueKind);
        Assert.Equal("Goedendag\n\nmijn vraag\n\n\nen verder\n\nklaar", sent.GetProperty("line").GetProperty("text").GetString());
    }

    [Fact]
    public void The_rule_collapses_before_it_counts()
    {
        Assert.Equal("a\n\nb", ChatRules.Tidy("a\n\n\n\nb"));
        Assert.Equal("a\n\n\nb", ChatRules.Tidy("a\n\n\nb"));
        Assert.Null(ChatRules.Refusal(ChatRules.Tidy("a" + new string('\n', 500) + "b"), ChatRules.DefaultMaxLineBreaks, english: false));
        Assert.Equal("A message can have at most 21 lines.", ChatRules.Refusal(TwentyOneBreaks, ChatRules.DefaultMaxLineBreaks, english: true));
    }

    /// <summary>A letter with hundreds of combining marks paints over the lines around it: the marks past four go, the line is sent.</summary>
    [Fact]
    public async Task Combining_marks_past_four_in_a_row_are_dropped_from_a_resident_and_an_agent_line()
    {
        var zalgo = "H" + new string('\u0336', 300) + "oi" + string.Concat(Enumerable.Repeat("\u0301\u20DD", 100));
        var capped = "H\u0336\u0336\u0336\u0336oi\u0301\u20DD\u0301\u20DD";
        var resident = await ResidentAsync();
        await using var residentDisposal = resident.DisposedBounded();
        var sent = await resident.InvokeAsync<JsonElement>("Send", "zalgo-resident-1", zalgo);
        Assert.Equal(capped, sent.GetProperty("line").GetProperty("text").GetString());

        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "zalgo-agent", null);
        var (_, id) = await desk.ChatTakenByAsync(desk.TenantA, (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "zalgo-agent"))!);
        var hub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var hubDisposal = hub.DisposedBounded();
        var said = await hub.InvokeAsync<JsonElement>("Send", id, "zalgo-agent-1", zalgo);
        Assert.Equal(capped, said.GetProperty("line").GetProperty("text").GetString());
    }

    [Fact]
    public void Real_text_keeps_its_marks_and_a_run_of_marks_is_cut_at_four()
    {
        // Decomposed Vietnamese (two marks on one letter), Hebrew with points, a keycap, an emoji family (joiners are no marks).
        foreach (var text in new[] { "Vie\u0323\u0302t Nam", "\u05E9\u05C1\u05B8\u05DC\u05D5\u05B9\u05DD", "1\uFE0F\u20E3", "👨‍👩‍👧‍👦 👍🏽" })
        {
            Assert.Same(text, ChatRules.Tidy(text));
        }

        Assert.Equal("a\u0300\u0301\u0302\u0303b", ChatRules.Tidy("a\u0300\u0301\u0302\u0303\u0304\u0305b"));
        // A mark outside the BMP (a surrogate pair) counts as one and is dropped whole.
        Assert.Equal("x" + string.Concat(Enumerable.Repeat("\U0001D167", 4)), ChatRules.Tidy("x" + string.Concat(Enumerable.Repeat("\U0001D167", 9))));
        // Marks at the start of a line, with no letter under them, are capped as well.
        Assert.Equal(new string('\u0489', 4), ChatRules.Tidy(new string('\u0489', 50)));
    }

    /// <summary>An invisible joiner between marks (they still stack on the one letter) does not start a new run.</summary>
    [Fact]
    public void Marks_split_by_invisible_format_characters_are_one_run()
    {
        foreach (var joiner in new[] { "\u200D", "\u200C", "\u200B", "\u2060" })
        {
            var zalgo = "H" + string.Join(joiner, Enumerable.Repeat("\u0336\u0336\u0336\u0336", 50)) + "i";
            Assert.Equal(4, ChatRules.Tidy(zalgo).Count(c => c == '\u0336'));
        }

        // Emoji joined by ZWJ keep their variation selectors: each emoji starts a run again.
        Assert.Equal("❤\uFE0F\u200D🔥 ❤\uFE0F\u200D🩹", ChatRules.Tidy("❤\uFE0F\u200D🔥 ❤\uFE0F\u200D🩹"));
    }

    private async Task<HubConnection> ResidentAsync()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        await desk.Server.App.Services.GetRequiredService<ChatStore>().EnqueueAsync(desk.TenantA, attrUrl.Split('/').Last(), CancellationToken.None);
        var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await hub.StartAsync();
        return hub;
    }
}
