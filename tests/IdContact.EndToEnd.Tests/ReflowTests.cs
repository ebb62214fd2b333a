using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Every resident page at a phone's 320 CSS px and every staff page at 640 px (a 1280 px laptop zoomed to 200 %):
/// no sideways scrolling, text spacing clips nothing, focus shows (WCAG 2.1 AA 1.4.10, 1.4.4, 1.4.12, 2.4.7; see
/// <see cref="Layout"/>). Long names and messages, as real ones can be, must wrap.
/// </summary>
public sealed class ReflowTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    internal const string LongName = "Fatima Zahra El Amrani-Van Rijswijk-Oosterhout";
    private const string LongMessage = "Ikwilgraagmijnverhuizingdoorgevenaandegemeentemaarikweetnietwelkformulierikmoetgebruiken, kunt u helpen?";

    [Fact]
    public async Task Resident_pages_reflow_at_320_px_keep_spaced_text_and_show_focus()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var layout = new Layout();
        var page = await Layout.NewPageAsync(browser.Chromium, 320, 640);

        await page.GotoAsync(server.BaseUrl + "/");
        await layout.ReflowsAsync(page, "demo start page");

        // The widget on the municipal page, phone and the test sign-in, to the phone page's number and code.
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await layout.ReflowsAsync(page, "municipal page");
        var dialog = await OpenWidgetAsync(page, "Bellen", "Testinlog");
        await layout.ReflowsAsync(page, "widget dialog");
        await layout.KeepsTextWithSpacingAsync(page, "widget dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await layout.ReflowsAsync(page, "test sign-in");
        await layout.KeepsTextWithSpacingAsync(page, "test sign-in");
        await layout.ShowsFocusAsync(page, "test sign-in");
        await page.Locator("input[name='attr:fullname']").FillAsync(LongName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/phone?t=*");
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(new Regex("^[0-9]{6}$"));
        await layout.ReflowsAsync(page, "phone page");
        await layout.KeepsTextWithSpacingAsync(page, "phone page");
        await layout.ShowsFocusAsync(page, "phone page");

        // The test conversation page shows the typed data in a table; a long e-mail address must wrap in it.
        await page.GotoAsync(server.BaseUrl + "/");
        var start = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await start.GetByLabel("Testinlog").CheckAsync();
        await start.GetByLabel("Testgesprek").CheckAsync();
        await start.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await page.Locator("input[name='attr:fullname']").FillAsync(LongName);
        await page.Locator("input[name='attr:email']").FillAsync("fatima.zahra.elamrani.vanrijswijk.oosterhout@voorbeeldprovider.example.nl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/comm-test/session/**");
        await layout.ReflowsAsync(page, "test conversation");
        await layout.KeepsTextWithSpacingAsync(page, "test conversation");

        // Yivi: the QR code page.
        await page.GotoAsync(server.DemoSiteUrl + "/arnhem");
        await (await OpenWidgetAsync(page, "Bellen", "Yivi")).GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await page.WaitForPageAsync(server.BaseUrl + "/arnhem/auth-irma/**");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("QR") })).ToBeVisibleAsync();
        await layout.ReflowsAsync(page, "Yivi page");
        await layout.KeepsTextWithSpacingAsync(page, "Yivi page");
        await layout.ShowsFocusAsync(page, "Yivi page");

        // The web-code page, with the message of a wrong code.
        await page.GotoAsync(server.BaseUrl + "/arnhem/id");
        await layout.ReflowsAsync(page, "web-code page");
        await page.GetByLabel("Code").FillAsync("0000 0000");
        await page.GetByLabel("Code").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#code-error")).Not.ToBeEmptyAsync();
        await layout.ReflowsAsync(page, "web-code page with an error");
        await layout.KeepsTextWithSpacingAsync(page, "web-code page");
        await layout.ShowsFocusAsync(page, "web-code page");

        // Chat (with an agent available): the start page and the conversation with a long word in it.
        await server.App.Services.GetRequiredService<ChatStore>().SetAvailableAsync("arnhem", await VideoAppointmentPageTests.DemoAgentIdAsync(server), true, CancellationToken.None);
        await page.GotoAsync(server.BaseUrl + "/arnhem/chat/new?purpose=report_move");
        await layout.ReflowsAsync(page, "chat start page");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await page.WaitForPageAsync(ChatFlowTests.ChatPage());
        await ChatFlowTests.Send(page, LongMessage);
        await Assertions.Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("kunt u helpen?");
        await layout.ReflowsAsync(page, "chat");
        await layout.KeepsTextWithSpacingAsync(page, "chat");
        await layout.ShowsFocusAsync(page, "chat");

        // Video: booking an appointment, its confirmation, and the waiting room of the call.
        await VideoAppointmentPageTests.ToBookingPageAsync(page, server.BaseUrl);
        await layout.ReflowsAsync(page, "video booking");
        await layout.KeepsTextWithSpacingAsync(page, "video booking");
        await layout.ShowsFocusAsync(page, "video booking");
        await page.GetByLabel("E-mailadres").FillAsync("inwoner@example.nl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afspraak maken" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await layout.ReflowsAsync(page, "video booking confirmed");

        var planned = await server.App.Services.GetRequiredService<AppointmentStore>()
            .PlanAsync("arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await VideoAppointmentPageTests.DemoAgentIdAsync(server), CancellationToken.None);
        await page.GotoAsync(planned.Link);
        await Assertions.Expect(page.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await VideoCallTests.PlayingAsync(page, "#local-video");
        await layout.ReflowsAsync(page, "video call waiting room");
        await layout.KeepsTextWithSpacingAsync(page, "video call waiting room");
        await layout.ShowsFocusAsync(page, "video call waiting room");

        // English words are other lengths.
        foreach (var url in new[] { planned.Link + "?lang=en", server.BaseUrl + "/arnhem/id?lang=en", server.BaseUrl + "/arnhem/chat/new?purpose=report_move&lang=en" })
        {
            await page.GotoAsync(url);
            await layout.ReflowsAsync(page, "in English");
            await layout.KeepsTextWithSpacingAsync(page, "in English");
        }

        layout.AssertNone();
    }

    [Fact]
    public async Task Staff_pages_reflow_at_640_px_as_at_200_percent_zoom_keep_spaced_text_and_show_focus()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var layout = new Layout();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "anna", "Anna Agent", browser.Chromium, setUp: Layout.WatchNetworkAsync);
        await agent.SetViewportSizeAsync(640, 720);
        await layout.ReflowsAsync(agent, "agent overview, empty");

        // A chat and an identified phone call wait: the overview lists both with the resident's data.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await ChatFlowTests.ChatFromWidgetAsync(resident, server, LongName);
        await ChatFlowTests.Send(resident, LongMessage);
        var caller = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await PhoneInAsync(server, caller, "call-7");
        await Assertions.Expect(agent.Locator("article.contact")).ToHaveCountAsync(2);
        await layout.ReflowsAsync(agent, "agent overview");
        await layout.KeepsTextWithSpacingAsync(agent, "agent overview");
        await layout.ShowsFocusAsync(agent, "agent overview");

        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/calls/call-7");
        await Assertions.Expect(agent.Locator("article.contact")).ToContainTextAsync(LongName);
        await layout.ReflowsAsync(agent, "per-call page");
        await layout.KeepsTextWithSpacingAsync(agent, "per-call page");

        // Identifying a caller on the web: the code to read out.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Beller identificeren" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/identify/"));
        await layout.ReflowsAsync(agent, "web-code identification");

        // The chat, taken.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await agent.Locator("article.contact", new() { HasText = "Chat" }).GetByRole(AriaRole.Button, new() { Name = "Chat aannemen", Exact = true }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/chats/"));
        await Assertions.Expect(agent.GetByRole(AriaRole.Log)).ToContainTextAsync("kunt u helpen?");
        await layout.ReflowsAsync(agent, "agent chat");
        await layout.KeepsTextWithSpacingAsync(agent, "agent chat");
        await layout.ShowsFocusAsync(agent, "agent chat");

        // Appointments with a planned call, and the call itself once the resident waits.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/appointments");
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner-met-een-lang-adres@gemeente-voorbeeld.example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        var link = (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!;
        await resident.GotoAsync(link);
        await Assertions.Expect(agent.GetByText("Wacht in de wachtkamer")).ToBeVisibleAsync();
        await layout.ReflowsAsync(agent, "appointments");
        await layout.KeepsTextWithSpacingAsync(agent, "appointments");
        await layout.ShowsFocusAsync(agent, "appointments");
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");
        await layout.ReflowsAsync(agent, "agent video call");
        await layout.KeepsTextWithSpacingAsync(agent, "agent video call");

        // The administrator's pages, and an officer appointed there.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/admin");
        await agent.GetByLabel("Gebruikersnaam").FillAsync("fg");
        await agent.GetByLabel("Naam", new() { Exact = true }).FillAsync(LongName);
        await agent.GetByRole(AriaRole.Radio, new() { Name = "Functionaris gegevensbescherming (FG)" }).CheckAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        var password = await agent.Locator("#one-time-password").InnerTextAsync();
        await layout.ReflowsAsync(agent, "agents admin");
        await layout.KeepsTextWithSpacingAsync(agent, "agents admin");
        await layout.ShowsFocusAsync(agent, "agents admin", maxStops: 80);
        foreach (var (path, what) in new[] { ("/arnhem/desk/admin/access-log", "access log"), ("/arnhem/desk/admin/audit", "administrator actions"), ("/arnhem/desk/account", "account") })
        {
            await agent.GotoAsync(server.BaseUrl + path);
            await layout.ReflowsAsync(agent, what);
            await layout.KeepsTextWithSpacingAsync(agent, what);
        }

        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        await layout.ReflowsAsync(agent, "staffing");
        await layout.KeepsTextWithSpacingAsync(agent, "staffing");

        // English words are other lengths (the choice sticks to the following pages).
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/admin?lang=en");
        await layout.ReflowsAsync(agent, "agents admin in English");
        await layout.KeepsTextWithSpacingAsync(agent, "agents admin in English");
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/appointments");
        await layout.ReflowsAsync(agent, "appointments in English");
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        await layout.ReflowsAsync(agent, "staffing in English");

        var officer = await Layout.NewPageAsync(browser.Chromium, 640, 720);
        await AgentAdminTests.SignIn(officer, server, "arnhem", "fg", password);
        await layout.ReflowsAsync(officer, "choose a password");
        await AgentAdminTests.ChooseOwnPassword(officer, password, landing: "Inzage-log");
        await layout.ReflowsAsync(officer, "officer's access log");
        await layout.ShowsFocusAsync(officer, "officer's access log");
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/audit?lang=en");
        await layout.ReflowsAsync(officer, "officer's administrator actions");

        layout.AssertNone();
    }

    [Fact]
    public async Task Staff_pages_with_tables_reflow_at_320_px_the_tables_scrolling_in_their_own_box()
    {
        await using var server = await RunningServer.StartAsync();
        var layout = new Layout();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "anna", "Anna Agent", browser.Chromium, setUp: Layout.WatchNetworkAsync);
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/appointments");
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner@example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" })).ToBeVisibleAsync();
        // And one that is over (its slot and grace ended, retention not yet due), so the page shows its Afgelopen table too.
        await server.App.Services.GetRequiredService<AppointmentStore>().PlanAsync(
            "arnhem", "report_move", "afgelopen@example.nl", DateTimeOffset.UtcNow.AddMinutes(-40), await VideoAppointmentPageTests.DemoAgentIdAsync(server, "anna"), CancellationToken.None);

        // A phone held upright (WCAG 1.4.10's 320 px): a table's hidden labels (Toestel van …, Medewerker) stay in its box.
        await agent.SetViewportSizeAsync(320, 640);
        foreach (var (path, what) in new[] { ("/arnhem/desk/appointments", "appointments"), ("/arnhem/desk/admin", "agents admin"), ("/arnhem/desk/admin/access-log", "access log"), ("/arnhem/desk/admin/staffing", "staffing") })
        {
            await agent.GotoAsync(server.BaseUrl + path);
            if (what == "appointments")
            {
                await Assertions.Expect(agent.Locator("#over-appointments")).ToBeVisibleAsync();
            }

            await layout.ReflowsAsync(agent, what + " at 320 px");
        }

        layout.AssertNone();
    }

    /// <summary>The demo municipal page's widget for report_move, with a channel and a sign-in method chosen.</summary>
    internal static async Task<ILocator> OpenWidgetAsync(IPage page, string channel, string signIn)
    {
        await page.Locator("button[data-idcontact-purpose='report_move']").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel(channel, new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel(signIn).CheckAsync();
        return dialog;
    }

    /// <summary>A resident signs in for a phone call and types the code at the (demo) exchange, which reports it.</summary>
    internal static async Task PhoneInAsync(RunningServer server, IPage caller, string callId)
    {
        await caller.GotoAsync(server.BaseUrl + "/");
        var arnhem = caller.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await arnhem.GetByLabel("Testinlog").CheckAsync();
        await arnhem.GetByLabel("Bellen", new() { Exact = true }).CheckAsync();
        await arnhem.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await caller.Locator("input[name='attr:fullname']").FillAsync(LongName);
        await caller.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await caller.WaitForPageAsync("**/arnhem/phone?t=*");
        var code = (await caller.Locator("#code").InnerTextAsync()).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/arnhem/exchange/identify") { Content = JsonContent.Create(new { code, call_id = callId }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DemoConfiguration.DemoExchangeKey);
        var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
