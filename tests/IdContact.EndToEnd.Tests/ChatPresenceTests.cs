using IdContact.Desk.Chat;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>An agent counts as available for chats only while a page of theirs is open (the presence lease).</summary>
public class ChatPresenceTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_open_overview_keeps_renewing_and_a_closed_one_stops_counting_until_the_agent_is_back()
    {
        // A short renewal and lease, so the test need not wait half a minute.
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "4");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "lotte", "Lotte", browser.Chromium);
        await Assertions.Expect(agent.Locator("#availability-hint")).ToContainTextAsync("na hoogstens 4 seconden geen chats meer");
        await Accessibility.AssertNoViolationsAsync(agent);
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        string id;
        await using (var db = databases.Open("arnhem"))
        {
            id = await db.Users.Where(u => u.UserName == "lotte").Select(u => u.Id).SingleAsync();
        }

        // The page, left alone, renews the lease: a last-seen time wiped in the database comes back.
        await using (var db = databases.Open("arnhem"))
        {
            await db.AgentPresence.Where(p => p.AgentId == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, DateTimeOffset.UnixEpoch));
        }

        Assert.True(await Within(TimeSpan.FromSeconds(15), () => chats.IsAvailableAsync("arnhem", id, CancellationToken.None)), "the open page renews");

        // The browser tab closes without a word: the lease runs out, the choice stays.
        var context = agent.Context;
        await agent.CloseBoundedAsync();
        Assert.True(await Within(TimeSpan.FromSeconds(20), async () => !await chats.IsAvailableAsync("arnhem", id, CancellationToken.None)), "a closed page stops counting");
        Assert.False(await chats.CanStartAsync("arnhem", CancellationToken.None));
        await using (var db = databases.Open("arnhem"))
        {
            Assert.True((await db.AgentPresence.AsNoTracking().SingleAsync(p => p.AgentId == id)).Available);
        }

        // Back at the desk: the overview says available, and the desk agrees.
        var again = await context.NewPageBoundedAsync();
        await again.GotoAsync($"{server.BaseUrl}/arnhem/desk");
        await Assertions.Expect(again.Locator("#availability")).ToContainTextAsync("U bent beschikbaar voor chats");
        Assert.True(await chats.CanStartAsync("arnhem", CancellationToken.None));
    }

    private static async Task<bool> Within(TimeSpan limit, Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
