using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Chat;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tests;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>ID Chat in two Chromium contexts: a resident and an agent of the embedded demo's Arnhem.</summary>
public partial class ChatFlowTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Resident_chats_from_the_widget_after_test_login_and_the_agent_takes_sees_the_data_and_replies()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var agent = await SignedInAvailableAgentAsync(server, "anna", "Anna Agent");

        // The resident picks chat and the test sign-in in the widget on the municipal site (from abroad: the chat's
        // times are still the municipality's).
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", TimezoneId = "America/New_York" })).NewPageBoundedAsync();
        await ChatFromWidgetAsync(resident, server, "Fatima <b>El</b> Amrani");
        await Assertions.Expect(resident.GetByRole(AriaRole.Status).First).ToContainTextAsync("U bent nummer 1 in de wachtrij");
        await Send(resident, "Ik ben verhuisd <script>alert(1)</script>");

        // The agent's overview lists the chat with its channel, purpose and data; the agent takes it.
        var chat = agent.Locator("article.contact", new() { HasText = "Chat" });
        await Assertions.Expect(chat).ToContainTextAsync("Verhuizing doorgeven");
        await Assertions.Expect(chat).ToContainTextAsync("Fatima <b>El</b> Amrani");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        var log = agent.GetByRole(AriaRole.Log);
        await Assertions.Expect(log).ToContainTextAsync("Ik ben verhuisd <script>alert(1)</script>");
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Fatima <b>El</b> Amrani");
        await Assertions.Expect(agent.Locator("#details .test-data")).ToContainTextAsync("Testgegevens — niet bewezen");
        Assert.Equal(0, await agent.Locator("#messages script, #details script, #details b").CountAsync());
        // The only agent: the page says why the chat cannot be handed over, not an empty list beside a dead button.
        await Assertions.Expect(agent.Locator("#transfer-none")).ToHaveTextAsync("Er is nu geen andere medewerker beschikbaar voor chat; overdragen kan daarom niet.");
        Assert.Equal(0, await agent.Locator("#transfer-to").CountAsync());

        // The resident sees who they talk to, and the reply; the agent sees the resident typing.
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Anna Agent.");
        await resident.GetByLabel("Bericht").PressSequentiallyAsync("Nog een vraag");
        await Assertions.Expect(agent.Locator("#typing")).ToHaveTextAsync("De inwoner typt…");
        await resident.GetByLabel("Bericht").FillAsync("");
        // The reply arrives while the resident's tab is in the background: its title counts it until they look.
        var title = await resident.TitleAsync();
        await SetHiddenAsync(resident, true);
        await Send(agent, "Goedemiddag, ik help u graag.");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Goedemiddag, ik help u graag.");
        await Assertions.Expect(resident).ToHaveTitleAsync("(1) " + title);
        await SetHiddenAsync(resident, false);
        await Assertions.Expect(resident).ToHaveTitleAsync(title);
        await AssertDutchTimesAsync(resident);

        // A standard text by keyboard: it lands in the message box to be edited, and only Enter sends it.
        await agent.Locator("#quick-replies summary").FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Even geduld" }).FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        var box = agent.GetByLabel("Bericht");
        await Assertions.Expect(box).ToBeFocusedAsync();
        await Assertions.Expect(box).ToHaveValueAsync("Een ogenblik alstublieft, ik zoek het voor u uit.");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).Not.ToContainTextAsync("Een ogenblik");
        await agent.Keyboard.TypeAsync(" Uw adres?");
        await agent.Keyboard.PressAsync("Enter");
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Een ogenblik alstublieft, ik zoek het voor u uit. Uw adres?");
        await Assertions.Expect(box).ToHaveValueAsync("");

        // A reload keeps the conversation, each line once, and the same times.
        await resident.ReloadAsync();
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Goedemiddag" })).ToHaveCountAsync(1);
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Ik ben verhuisd" })).ToHaveCountAsync(1);
        await AssertDutchTimesAsync(resident);

        // Both views pass axe-core (the resident's in a context that lets axe in past the page's strict CSP).
        await Accessibility.AssertNoViolationsAsync(agent);
        var axeContext = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", BypassCSP = true });
        var residentForAxe = await axeContext.NewPageBoundedAsync();
        await residentForAxe.GotoAsync(resident.Url);
        await Assertions.Expect(residentForAxe.GetByRole(AriaRole.Log)).ToContainTextAsync("Goedemiddag");
        await Accessibility.AssertNoViolationsAsync(residentForAxe);
        await axeContext.CloseBoundedAsync();

        // The resident keeps a copy, made in the browser: every line as shown, markup as typed, in the page's order.
        var download = await resident.RunAndWaitForDownloadAsync(() => resident.GetByRole(AriaRole.Button, new() { Name = "Gesprek bewaren" }).ClickAsync());
        Assert.Matches(@"^gesprek-arnhem-\d{4}-\d{2}-\d{2}\.txt$", download.SuggestedFilename);
        var copy = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n");
        Assert.StartsWith("Chat met Gemeente Arnhem, ", copy[0]);
        var shown = await resident.Locator("#messages li").AllInnerTextsAsync();
        Assert.Equal(shown.Count, copy.Length - 3);
        var sent = Array.FindIndex(copy, l => Regex.IsMatch(l, @"^\d{2}:\d{2} U: Ik ben verhuisd <script>alert\(1\)</script>$"));
        var reply = Array.FindIndex(copy, l => Regex.IsMatch(l, @"^\d{2}:\d{2} Anna Agent: Goedemiddag, ik help u graag\.$"));
        Assert.True(sent >= 2 && reply > sent, string.Join("\n", copy));
        Assert.Contains(copy, l => l.EndsWith(" Melding: Anna Agent neemt deel aan het gesprek.", StringComparison.Ordinal));

        // The resident ends the chat: both sides are told, and nothing of it is left in the database.
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("main")).ToContainTextAsync("Het gesprek en uw gegevens zijn verwijderd");
        await Assertions.Expect(agent.Locator("#live-status")).ToContainTextAsync("De chat is beëindigd");
        // "Its data has been deleted": it leaves the agent's page as well, with the actions on the chat.
        await Assertions.Expect(agent.Locator("#details")).Not.ToContainTextAsync("Fatima");
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" })).ToBeDisabledAsync();
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        Assert.Empty(await db.Sessions.Where(s => s.Channel == "chat").ToListAsync());
        Assert.Empty(await db.ChatMessages.ToListAsync());
        Assert.Contains(await db.Audit.AsNoTracking().ToListAsync(), a => a.Action == "view" && a.AgentName == "anna");
    }

    [Fact]
    public async Task A_chat_started_without_identification_gets_the_data_when_the_agent_asks_for_it()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await SignedInAvailableAgentAsync(server, "bart", "Bart Balie");

        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatPage());
        var chatUrl = resident.Url;
        await Send(resident, "Hallo, ik wil een verhuizing doorgeven.");

        var chat = agent.Locator("article.contact", new() { HasText = "Chat" });
        await Assertions.Expect(chat).ToContainTextAsync("Niet geïdentificeerd");
        await chat.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Niet geïdentificeerd");
        // Under Mijn chats the open chat stands out to the eye too, not only to a screen reader (aria-current).
        var open = agent.Locator("#my-chats a[aria-current=page]");
        await Assertions.Expect(open).ToHaveCSSAsync("font-weight", "700");
        await Assertions.Expect(open).ToHaveCSSAsync("text-decoration-line", "none");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        // The reloaded page says it was asked, and that message has the focus (WCAG 2.4.3), not the page's top.
        var asked = agent.Locator("p.notice[data-focus-on-load]");
        await Assertions.Expect(asked).ToHaveTextAsync("Identificatie gevraagd; de inwoner ziet het verzoek in de chat.");
        await Assertions.Expect(asked).ToBeFocusedAsync();

        // The resident sees the purpose's sign-in methods in a dialog inside the chat, signs in and comes back.
        var identify = resident.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(identify).ToContainTextAsync("De medewerker vraagt wie u bent");
        await Assertions.Expect(identify.GetByRole(AriaRole.Button, new() { Name = "Yivi" })).ToBeVisibleAsync();
        // Each method looks like the page's other main buttons (the live dialog's buttons were once bare, looking disabled).
        var send = await resident.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        await Assertions.Expect(identify.GetByRole(AriaRole.Button, new() { Name = "Testinlog" })).ToHaveCSSAsync("background-color", send);
        var test = (await identify.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).BoundingBoxAsync())!;
        var yivi = (await identify.GetByRole(AriaRole.Button, new() { Name = "Yivi" }).BoundingBoxAsync())!;
        Assert.True(yivi.X >= test.X + test.Width + 4 || yivi.Y >= test.Y + test.Height + 4, "the methods' buttons touch");
        await identify.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync("Sanne de Boer");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync(chatUrl);
        await Assertions.Expect(resident.GetByRole(AriaRole.Log)).ToContainTextAsync("Identificatie gelukt.");
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Hallo, ik wil" })).ToHaveCountAsync(1);

        // The agent's data panel fills in live, without a reload.
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Sanne de Boer");
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("Identificatie gelukt.");
        // The request is answered: no "asked; waiting" next to the data, and no button to ask again (as after a reload).
        await Assertions.Expect(agent.GetByText("Gevraagd; wacht op de inwoner.")).ToHaveCountAsync(0);
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" })).ToHaveCountAsync(0);

        // The agent ends the chat; the resident is told and can no longer read it.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat beëindigen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToContainTextAsync("De chat is beëindigd");
        Assert.Equal(404, (await resident.APIRequest.GetAsync(chatUrl)).Status);
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        Assert.Empty(await db.ChatMessages.ToListAsync());
    }

    [Fact]
    public async Task A_dropped_connection_loses_and_doubles_no_message()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await SignedInAvailableAgentAsync(server, "cees", "Cees");
        var residentContext = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var resident = await residentContext.NewPageBoundedAsync();
        var sockets = new List<IWebSocketRoute>();
        await resident.RouteWebSocketAsync(new Regex("/chat/hub"), ws =>
        {
            var toServer = ws.ConnectToServer();
            lock (sockets)
            {
                sockets.Add(ws);
                sockets.Add(toServer);
            }
        });
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatPage());
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Cees.");

        // The network goes away and the connection drops; both sides write meanwhile.
        await residentContext.SetOfflineAsync(true);
        List<IWebSocketRoute> open;
        lock (sockets)
        {
            open = sockets.ToList();
        }

        foreach (var socket in open)
        {
            await socket.CloseBoundedAsync();
        }

        await Assertions.Expect(resident.Locator("#send-error")).ToContainTextAsync("Verbinding verbroken");
        await Send(resident, "Geschreven tijdens de storing");
        await Send(agent, "Antwoord tijdens de storing");
        await Assertions.Expect(resident.Locator("#messages li.pending")).ToHaveCountAsync(1);

        // Back online: the missed reply arrives and the waiting message is sent, each exactly once.
        await residentContext.SetOfflineAsync(false);
        await Assertions.Expect(resident.Locator("#messages li.pending")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Antwoord tijdens de storing" })).ToHaveCountAsync(1);
        await Assertions.Expect(resident.Locator("#messages li", new() { HasText = "Geschreven tijdens de storing" })).ToHaveCountAsync(1);
        await Assertions.Expect(agent.Locator("#messages li", new() { HasText = "Geschreven tijdens de storing" })).ToHaveCountAsync(1);
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        // Stored once, and encrypted: counted through the store, which decrypts; no row holds the text itself.
        var store = server.App.Services.GetRequiredService<ChatStore>();
        var lines = new List<ChatLine>();
        foreach (var session in await db.ChatMessages.Select(m => m.SessionId).Distinct().ToListAsync())
        {
            lines.AddRange(await store.LinesAsync("arnhem", session, 0, CancellationToken.None));
        }

        Assert.Equal(1, lines.Count(l => l.Text == "Geschreven tijdens de storing"));
        Assert.False(await db.ChatMessages.AnyAsync(m => m.Text.Contains("storing")));
    }

    [Fact]
    public async Task A_message_the_server_could_not_store_is_sent_again_by_itself_once_it_can()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await SignedInAvailableAgentAsync(server, "door", "Door");
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatPage());
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Door.");

        // The database refuses new lines while the connection stays up: both pages keep their message and say so.
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        await using (await RefusingTrigger.CreateAsync(databases, "arnhem", "ChatMessages", "Kind", ChatKinds.Text))
        {
            await Send(resident, "Geschreven toen opslaan mislukte");
            await Send(agent, "Antwoord toen opslaan mislukte");
            await Assertions.Expect(resident.Locator("#send-error")).ToHaveTextAsync("Uw bericht is nog niet verstuurd; het wordt zo opnieuw geprobeerd.");
            await Assertions.Expect(agent.Locator("#send-error")).ToHaveTextAsync("Het bericht is nog niet verstuurd; het wordt zo opnieuw geprobeerd.");
            await Assertions.Expect(resident.Locator("#messages li.pending")).ToHaveCountAsync(1);
            await Assertions.Expect(agent.Locator("#messages li.pending")).ToHaveCountAsync(1);
            // The agent's own waiting line says "U", as the confirmed one says "U (name)": no empty brackets.
            await Assertions.Expect(agent.Locator("#messages li.pending .who")).ToHaveTextAsync("U");
            await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync("U chat met Door.");
        }

        // Storing works again: without a reload or reconnect, each page's retry delivers its message, once, to both.
        foreach (var page in new[] { resident, agent })
        {
            await Assertions.Expect(page.Locator("#messages li.pending")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("#send-error")).ToBeEmptyAsync();
            await Assertions.Expect(page.Locator("#messages li", new() { HasText = "Geschreven toen opslaan mislukte" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#messages li", new() { HasText = "Antwoord toen opslaan mislukte" })).ToHaveCountAsync(1);
        }

        await using var db = databases.Open("arnhem");
        var session = await db.ChatMessages.Select(m => m.SessionId).Distinct().SingleAsync();
        var lines = await server.App.Services.GetRequiredService<ChatStore>().LinesAsync("arnhem", session, 0, CancellationToken.None);
        Assert.Equal(1, lines.Count(l => l.Text == "Geschreven toen opslaan mislukte"));
        Assert.Equal(1, lines.Count(l => l.Text == "Antwoord toen opslaan mislukte"));
    }

    /// <summary>A resident on the demo municipal site chooses chat and the test sign-in in the widget, signs in as <paramref name="fullName"/>, and lands in the chat.</summary>
    internal static async Task ChatFromWidgetAsync(IPage resident, RunningServer server, string fullName)
    {
        await resident.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await resident.Locator("button[data-idcontact-purpose='report_move']").ClickAsync();
        var dialog = resident.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Chatten").CheckAsync();
        await dialog.GetByLabel("Testinlog").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await LeavesWidgetForAsync(resident, server, "**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync(fullName);
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync(ChatPage());
    }

    /// <summary>
    /// Waits for the widget to send the resident on; when it does not, the failure says where the page is and what the
    /// widget showed (a failed start, or a page that never finished loading) and the tail of the server's log, not only
    /// that time ran out.
    /// </summary>
    internal static async Task LeavesWidgetForAsync(IPage resident, RunningServer server, string url)
    {
        try
        {
            await resident.WaitForPageAsync(url);
        }
        catch (TimeoutException e)
        {
            string said;
            try
            {
                said = string.Join(" ", await resident.Locator("[role=dialog] p.error").AllTextContentsAsync()); // empty once the page has left
            }
            catch (PlaywrightException unreadable)
            {
                said = unreadable.Message;
            }

            var log = string.Join(Environment.NewLine, server.Logs?.Messages.TakeLast(30) ?? []);
            throw new TimeoutException($"{e.Message} The page is at {resident.Url}; the widget says: '{said}'. The server's log ends:{Environment.NewLine}{log}", e);
        }
    }

    /// <summary>An agent and a resident in a chat the agent took; <paramref name="setUp"/> prepares the agent's browser context.</summary>
    internal static async Task<(IPage Agent, IPage Resident)> ChattingAsync(RunningServer server, IBrowser chromium, string user, string name, Func<IBrowserContext, Task>? setUp = null)
    {
        var agent = await SignedInAvailableAgentAsync(server, user, name, chromium, setUp: setUp);
        var resident = await (await chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await resident.WaitForPageAsync(ChatPage());
        await agent.ReloadAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(resident.Locator("#chat-status")).ToHaveTextAsync($"U chat met {name}.");
        return (agent, resident);
    }

    /// <summary>
    /// A new administrator of Arnhem, signed in with a password of her own, available for chats, on the overview;
    /// <paramref name="setUp"/> prepares her browser context before the first page (as <see cref="Layout.WatchNetworkAsync"/>).
    /// </summary>
    internal static async Task<IPage> SignedInAvailableAgentAsync(RunningServer server, string user, string name, IBrowser? chromium = null, string tenant = "arnhem", string? baseUrl = null, Func<IBrowserContext, Task>? setUp = null)
    {
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, tenant, user, name, "201");
        Assert.True(password is not null, string.Join(" ", errors));
        var context = await chromium!.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        if (setUp is not null)
        {
            await setUp(context);
        }

        var agent = await context.NewPageBoundedAsync();
        await agent.GotoAsync($"{baseUrl ?? server.BaseUrl}/{tenant}/desk");
        await agent.GetByLabel("Gebruikersnaam").FillAsync(user);
        await agent.GetByLabel("Wachtwoord").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
        await agent.GetByLabel("Nieuw wachtwoord").FillAsync("een-heel-goed-wachtwoord-42");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Beschikbaar melden" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#availability")).ToContainTextAsync("U bent beschikbaar voor chats");
        // In its tenant's group before a test makes a contact: a push before that is lost (only the fetch on connecting shows it).
        await agent.WaitForLiveAsync();
        return agent;
    }

    private Task<IPage> SignedInAvailableAgentAsync(RunningServer server, string user, string name) =>
        SignedInAvailableAgentAsync(server, user, name, browser.Chromium);

    /// <summary>Every line's time reads as Dutch time (Europe/Amsterdam) of its instant, in whatever zone the browser is.</summary>
    /// <summary>Plays the browser putting the tab in the background (or back), as a switch to another tab would.</summary>
    private static Task SetHiddenAsync(IPage page, bool hidden) => page.EvaluateAsync(
        "hidden => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden }); document.dispatchEvent(new Event('visibilitychange')); }", hidden);

    private static async Task AssertDutchTimesAsync(IPage page)
    {
        var times = page.Locator("#messages li time");
        await Assertions.Expect(times.First).ToBeVisibleAsync();
        var count = await times.CountAsync();
        for (var i = 0; i < count; i++)
        {
            var at = DateTimeOffset.Parse(await times.Nth(i).GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Desk.DutchTime.Of(at).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), await times.Nth(i).TextContentAsync());
        }
    }

    internal static async Task Send(IPage page, string text)
    {
        await page.GetByLabel("Bericht").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
    }

    [GeneratedRegex("/arnhem/chat/c/[A-Za-z0-9_-]+")]
    internal static partial Regex ChatPage();
}
