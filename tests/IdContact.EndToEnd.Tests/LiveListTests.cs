using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests
{
    /// <summary>
    /// A keyboard agent waits on the queue panel's take button while residents keep arriving: each arrival swaps the
    /// list, and the focus must stay on that button, not fall back to the page's start.
    /// </summary>
    [Fact]
    public async Task The_focus_stays_on_the_queue_panels_take_button_when_a_new_contact_arrives()
    {
        await using var server = await RunningServer.StartAsync("--Desk:AgentRefreshSeconds", "600");
        var page = await SignInNewAdmin(server, "arnhem", "toetsenbord");
        await page.GetByRole(AriaRole.Button, new() { Name = "Beschikbaar melden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Afwezig melden" })).ToBeVisibleAsync();
        await page.WaitForLiveAsync();
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var flow = server.App.Services.GetRequiredService<ChatFlow>();
        async Task ArriveAsync()
        {
            var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
            await flow.ArriveAsync("arnhem", chat, CancellationToken.None);
        }

        await ArriveAsync();
        var take = page.Locator("#queue-chats").GetByRole(AriaRole.Button, new() { Name = "Langst wachtende chat aannemen" });
        await take.FocusAsync();

        await ArriveAsync();
        await Assertions.Expect(page.Locator("#queue-chats")).ToContainTextAsync("Chat: 2 chats wachten");
        await Assertions.Expect(take).ToBeFocusedAsync();
    }

    /// <summary>
    /// Afspraken and Bezetting left open in one tab while the agent signs out in another (or the session ends): their
    /// next refresh must lead to the sign-in page, not put the sign-in page inside the list (Afspraken) or empty the
    /// table under "Bijgewerkt om undefined" (Bezetting).
    /// </summary>
    [Fact]
    public async Task Afspraken_and_Bezetting_open_when_the_session_ends_go_to_the_sign_in_page_at_their_next_refresh()
    {
        await using var server = await RunningServer.StartAsync("--Desk:AgentRefreshSeconds", "1");
        var page = await SignInNewAdmin(server, "arnhem", "teamleider");
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/appointments");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Afspraken");
        var staffing = await page.Context.NewPageBoundedAsync();
        await staffing.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        await Assertions.Expect(staffing.Locator("h1")).ToHaveTextAsync("Bezetting");

        var other = await page.Context.NewPageBoundedAsync();
        await other.GotoAsync(server.BaseUrl + "/arnhem/desk/account");
        await other.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).ClickAsync();
        await Assertions.Expect(other).ToHaveTitleAsync(new Regex("^Inloggen"));

        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Inloggen"));
        await Assertions.Expect(staffing).ToHaveTitleAsync(new Regex("^Inloggen"));
    }
}
