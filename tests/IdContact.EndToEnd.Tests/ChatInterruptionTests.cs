using System.Text.RegularExpressions;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A chat when real life interrupts it: the agent signs out elsewhere, a message in another script.</summary>
public partial class ChatInterruptionTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_agent_signed_out_in_another_tab_is_told_on_the_chat_page_and_finds_the_chat_again_after_signing_in()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "4");
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "sanne", "Sanne");

        // Signed out in another tab: the open chat page says so instead of going on (or showing the sign-in form in its list).
        var other = await agent.Context.NewPageBoundedAsync();
        await other.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await other.Locator("#sign-out").ClickAsync();
        // Closed once the sign-out's redirect has landed: a close racing a navigation's commit can hang (BoundedPlaywright).
        await other.WaitForPageAsync(SignedOutPage());
        await other.CloseBoundedAsync();
        await Assertions.Expect(agent.Locator("#live-status")).ToContainTextAsync("U bent uitgelogd. Log opnieuw in om deze chat voort te zetten");
        await Assertions.Expect(agent.GetByLabel("Bericht")).ToBeDisabledAsync();
        await Assertions.Expect(agent.Locator("#my-chats")).ToHaveCountAsync(1);
        await Assertions.Expect(agent.GetByLabel("Wachtwoord")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(agent);

        // The resident's chat is not lost: it is still the agent's, and the resident still chats with them.
        await using (var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem"))
        {
            var chat = await db.Sessions.AsNoTracking().SingleAsync(s => s.Channel == "chat");
            Assert.Equal(ContactState.Active, chat.State);
            Assert.NotNull(chat.AgentId);
        }

        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Sanne.");

        // Signing in again from the page leads back to the same chat, which works again.
        var chatUrl = agent.Url;
        await agent.GetByRole(AriaRole.Link, new() { Name = "Opnieuw inloggen" }).ClickAsync();
        await agent.GetByLabel("Gebruikersnaam").FillAsync("sanne");
        await agent.GetByLabel("Wachtwoord").FillAsync("een-heel-goed-wachtwoord-42");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await agent.WaitForPageAsync(chatUrl);
        await ChatFlowTests.Send(agent, "Daar ben ik weer.");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Daar ben ik weer.");
    }

    [Fact]
    public async Task A_right_to_left_message_keeps_the_name_and_time_around_it_in_their_place()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "rami", "Rami");
        await ChatFlowTests.Send(resident, "مرحبا، أريد تغيير عنواني");
        await ChatFlowTests.Send(agent, "שלום, אני אעזור לך");

        // Live, and as the server draws the page after a reload: name, then the text in its own direction, then the time.
        foreach (var reload in new[] { false, true })
        {
            if (reload)
            {
                await resident.ReloadAsync();
                await agent.ReloadAsync();
            }

            foreach (var (page, text) in new[] { (resident, "مرحبا"), (resident, "שלום"), (agent, "مرحبا"), (agent, "שלום") })
            {
                var line = page.Locator("#messages li", new() { HasText = text });
                await Assertions.Expect(line.Locator("time")).ToBeVisibleAsync();
                var who = (await line.Locator(".who").BoundingBoxAsync())!;
                var said = (await line.Locator(".text").BoundingBoxAsync())!;
                var at = (await line.Locator("time").BoundingBoxAsync())!;
                Assert.True(who.X < said.X && said.X < at.X, $"{text} (reload {reload}): name at {who.X}, text at {said.X}, time at {at.X}");
            }
        }
    }

    [Fact]
    public async Task An_agent_whose_chat_was_handed_back_while_away_is_not_told_it_was_deleted()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "4");
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "vera", "Vera");

        // The sweep hands the chat back as after Desk:Chat:HandBackAfterMinutes without a page of the agent (the laptop slept).
        var holders = server.App.Services.GetRequiredService<Desk.Chat.AbsentChatHolders>();
        Assert.Equal(1, await holders.SweepAsync("arnhem", TimeSpan.FromSeconds(-5), CancellationToken.None));

        // The resident waits for a colleague; the agent's page says where the chat went, not that it was deleted.
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("De vorige medewerker is niet meer beschikbaar");
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("U wacht op een medewerker");
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("Deze chat is niet meer van u: hij ging terug naar de wachtrij of naar een collega terwijl deze pagina weg was.");
        await Assertions.Expect(agent.GetByLabel("Bericht")).ToBeDisabledAsync();
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        Assert.True(await db.Sessions.AnyAsync(s => s.Channel == "chat" && s.AgentId == null));
    }

    [Fact]
    public async Task A_chat_retention_deletes_leaves_the_open_pages_at_once_and_each_says_why()
    {
        // With the demo site: the resident's page offers the way back to the municipality's website.
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "wim", "Wim");
        await ChatFlowTests.Send(resident, "Mijn adres is Dorpsstraat 1");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Dorpsstraat 1");
        await Assertions.Expect(agent.Locator("#details")).Not.ToBeEmptyAsync();
        // The agent's overview open in another tab, live.
        var overview = await agent.Context.NewPageBoundedAsync();
        await overview.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await Assertions.Expect(overview.Locator("#live-status")).ToHaveAttributeAsync("data-live", "connected");

        // A sweep as if an hour had passed without activity (Desk:RetentionMinutes, 60), run now rather than waited for.
        var retention = ActivatorUtilities.CreateInstance<Desk.Retention.RetentionService>(server.App.Services, new AheadClock(TimeSpan.FromMinutes(61)));
        Assert.Equal(1, await retention.SweepAsync(CancellationToken.None));

        // The pages are told at once (the chat pages' own catch-up, every 30 s, would only say "ended"): what was deleted is gone.
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("Dit gesprek is verwijderd (bewaartermijn verlopen).");
        await Assertions.Expect(agent.GetByLabel("Bericht")).ToBeDisabledAsync();
        await Assertions.Expect(agent.Locator("#messages li")).ToHaveCountAsync(0);
        // Nor does the screen reader's copy of the resident's last line stay behind.
        await Assertions.Expect(agent.Locator("#announcer")).ToBeEmptyAsync();
        await Assertions.Expect(agent.Locator("#details")).ToBeEmptyAsync();
        await Assertions.Expect(agent.Locator("#my-chats")).Not.ToContainTextAsync("sinds");
        await Assertions.Expect(overview.Locator("#deleted-status")).ToHaveTextAsync("Een contact is verwijderd na 60 minuten zonder activiteit.");
        await Assertions.Expect(overview.Locator($"#contacts [data-session=\"{agent.Url.Split('/').Last()}\"]")).ToHaveCountAsync(0);
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("Dit gesprek is beëindigd en verwijderd.");
        await Assertions.Expect(resident.Locator("#messages li")).ToHaveCountAsync(0);
        await Assertions.Expect(resident.GetByLabel("Bericht")).ToBeDisabledAsync();
        await Assertions.Expect(resident.GetByRole(AriaRole.Link, new() { Name = "Terug naar de website van Gemeente Arnhem" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);
        await Accessibility.AssertNoViolationsAsync(overview);
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);
    }

    [GeneratedRegex(@"/arnhem/desk/login\?signedout=")]
    private static partial Regex SignedOutPage();
}
