using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests
{
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
