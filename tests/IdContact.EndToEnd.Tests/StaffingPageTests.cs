using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests
{
    [Fact]
    public async Task The_staffing_page_is_accessible_and_its_table_shows_a_newly_queued_chat_at_once_without_a_reload()
    {
        // The timer is out of reach of the test: only the hub's push can bring the change.
        await using var server = await RunningServer.StartAsync("--Desk:AgentRefreshSeconds", "600");
        var page = await SignInNewAdmin(server, "arnhem", "teamleider");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bezetting" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Bezetting");
        await Assertions.Expect(page.Locator("#staffing-chats")).ToHaveTextAsync("Chat: niemand wacht.");
        await Assertions.Expect(page.Locator("tr.staff-row", new() { HasText = "teamleider" })).ToContainTextAsync("Afwezig");
        await Accessibility.AssertNoViolationsAsync(page);

        // The agent scrolls the table by keyboard (its region has focus) when the change arrives: the focus stays there.
        // At 640 px the table scrolls sideways, so its region is a Tab stop (wider, it fits and is none).
        await page.SetViewportSizeAsync(640, 720);
        await Assertions.Expect(page.Locator("#staffing-list .idc-table-scroll")).ToHaveAttributeAsync("tabindex", "0");
        await page.Locator("#staffing-list .idc-table-scroll").FocusAsync();

        // A resident arrives in a new chat: the table says so by itself, the page is not reloaded.
        await page.EvaluateAsync("() => window.notReloaded = true");
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
        await Assertions.Expect(page.Locator("#staffing-updated")).ToHaveAttributeAsync("data-live", "true");
        await server.App.Services.GetRequiredService<ChatFlow>().ArriveAsync("arnhem", chat, CancellationToken.None);
        await Assertions.Expect(page.Locator("#staffing-chats")).ToContainTextAsync("Chat: 1 chat wacht, sinds");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await Assertions.Expect(page.Locator("#staffing-updated")).ToContainTextAsync("Bijgewerkt om ");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === document.querySelector('#staffing-list .idc-table-scroll')"));
        await Accessibility.AssertNoViolationsAsync(page);
    }
}
