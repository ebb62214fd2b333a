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
}
