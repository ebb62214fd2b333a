using IdContact.Desk;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The video appointment pages in Chromium: the demo flow to a booking, keyboard only, and axe-core clean.</summary>
public class VideoAppointmentPageTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>From the demo site to Arnhem's booking page, as a resident with the test login; the page's URL.</summary>
    internal static async Task<string> ToBookingPageAsync(IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl + "/");
        var section = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await section.GetByLabel("Testinlog").CheckAsync();
        await section.GetByLabel("Videobellen").CheckAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await page.WaitForPageAsync("**/arnhem/video/book/**");
        return page.Url;
    }

    [Fact]
    public async Task A_resident_books_a_video_appointment_by_keyboard_and_the_pages_have_no_axe_violations()
    {
        await using var server = await RunningServer.StartAsync(); // the embedded demo: no SMTP, so e-mail goes to {data}/mail
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        var bookingUrl = await ToBookingPageAsync(page, server.BaseUrl);
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // Keyboard only: the first time is chosen, type the address, Enter submits.
        await page.GetByLabel("E-mailadres").FocusAsync();
        await page.Keyboard.TypeAsync("inwoner@example.nl");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await Assertions.Expect(page.Locator("#demo-mail")).ToBeVisibleAsync();
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "mail"), "*.eml"));
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // A reload shows the confirmation again (Post/Redirect/Get): the same links, no second booking or e-mail.
        Assert.Contains("/arnhem/video/booked/", page.Url, StringComparison.Ordinal);
        var link = await page.Locator("#link").GetAttributeAsync("href");
        var confirmationUrl = page.Url;
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await Assertions.Expect(page.Locator("#link")).ToHaveAttributeAsync("href", link!);
        await Assertions.Expect(page.Locator("#cancel")).ToBeVisibleAsync();
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "mail"), "*.eml"));

        // The waiting page a link opens in its window.
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>()
            .PlanAsync("arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await DemoAgentIdAsync(server), CancellationToken.None);
        await page.GotoAsync(planned.Link);
        await Assertions.Expect(page.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // The same pages in English (like every resident page, they forbid inline script).
        foreach (var url in new[] { bookingUrl, confirmationUrl, planned.Link })
        {
            // A confirmation's address names its language (?lang=nl): that value becomes en, others gain it.
            await page.GotoAsync(url.Contains("lang=nl", StringComparison.Ordinal) ? url.Replace("lang=nl", "lang=en", StringComparison.Ordinal) : url + (url.Contains('?') ? "&" : "?") + "lang=en");
            Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
            await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        }
    }

    [Fact]
    public async Task An_agents_open_Afspraken_page_shows_a_booking_an_arrival_and_a_cancellation_without_reload()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "afke", "Afke Afspraak", browser.Chromium);
        await agent.GotoAsync(new Uri(new Uri(agent.Url), "/arnhem/desk/appointments").ToString());
        await Assertions.Expect(agent.Locator("#no-appointments")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Locator("#live-status[data-live='connected']")).ToHaveAttributeAsync("aria-live", "polite");
        await agent.EvaluateAsync("() => window.notReloaded = true");

        // A resident books on the website: the row appears on the agent's open page, and the status says so.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await ToBookingPageAsync(resident, server.BaseUrl);
        await resident.GetByLabel("E-mailadres").FillAsync("live@example.nl");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Afspraak maken" }).ClickAsync();
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        var rows = agent.Locator("#appointments tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Nog niet aangekomen");
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("De afspraken zijn bijgewerkt: 1 afspraak.");
        await Accessibility.AssertNoViolationsAsync(agent);

        // A caller's session for now (planned elsewhere, no push): their arrival in the waiting room shows.
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>()
            .PlanAsync("arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await DemoAgentIdAsync(server), CancellationToken.None);
        var caller = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await caller.GotoAsync(planned.Link);
        await Assertions.Expect(agent.Locator($"#appointments tr[data-appointment='{planned.Appointment.Id}']")).ToContainTextAsync("Wacht in de wachtkamer");
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        // The resident cancels: the row goes.
        await resident.GetByRole(AriaRole.Link, new() { Name = "Afspraak annuleren" }).ClickAsync();
        await resident.GetByRole(AriaRole.Button, new() { Name = "Afspraak annuleren" }).ClickAsync();
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("Uw afspraak is geannuleerd");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(agent.Locator("#live-status")).ToHaveTextAsync("De afspraken zijn bijgewerkt: 1 afspraak.");
        Assert.True(await agent.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page updated without a reload");

        // The agent cancels the caller's session: asked first, then the list says so.
        await agent.Locator($"tr[data-appointment='{planned.Appointment.Id}']").GetByRole(AriaRole.Link, new() { Name = "Afspraak annuleren" }).ClickAsync();
        var confirm = agent.GetByRole(AriaRole.Button, new() { Name = "Ja, afspraak annuleren" });
        await Assertions.Expect(confirm).ToBeVisibleAsync(); // the question's page, not the list it leaves, for axe
        await Accessibility.AssertNoViolationsAsync(agent);
        await confirm.ClickAsync();
        await Assertions.Expect(agent.Locator("#message")).ToHaveTextAsync("De afspraak is geannuleerd; de inwoner krijgt een e-mail.");
        await Assertions.Expect(agent.Locator("#no-appointments")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);
    }

    [Fact]
    public async Task A_second_click_on_Afspraak_maken_books_once_and_shows_the_confirmation_and_the_page_later_says_the_booking_stands()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        var bookingUrl = await ToBookingPageAsync(page, server.BaseUrl);
        await page.GetByLabel("E-mailadres").FillAsync("dubbel@example.nl");

        // A slow network: the booking's answer takes a while, and the resident clicks again meanwhile. The second click
        // posts nothing (the button is disabled): the confirmation with its links shows, not a notice without them.
        var posts = 0;
        var firstPosted = new TaskCompletionSource();
        await page.RouteAsync("**/arnhem/video/book/**", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref posts) == 1)
            {
                firstPosted.TrySetResult();
                await Task.Delay(5000);
            }

            await route.ContinueAsync();
        });
        // Both clicks in the page, the second once the first post is on its way (held by the route above).
        var disabled = await page.Locator("#book").EvaluateAsync<bool>(
            "async b => { b.click(); await new Promise(r => setTimeout(r, 300)); b.click(); return b.disabled; }");
        await firstPosted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(disabled, "the button is disabled once the booking is sent");
        await page.WaitForPageAsync("**/arnhem/video/booked/**");
        Assert.Equal(1, posts);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await Assertions.Expect(page.Locator("#link")).ToBeVisibleAsync();

        // The booking page opened again (or posted again without script) says the booking stands, when, and where the links are.
        await using var db = server.App.Services.GetRequiredService<IdContact.Desk.Tenants.TenantDatabases>().Open("arnhem");
        // The address is stored encrypted: the booking is found by the cap's keyed hash of it.
        var hash = await BookingCaps.EmailHashAsync(
            server.App.Services.GetRequiredService<IdContact.Desk.Sessions.IdentifierHashes>(), "arnhem", "dubbel@example.nl", CancellationToken.None);
        var start = await db.Appointments.Where(a => a.EmailHash == hash).Select(a => a.Start).SingleAsync();
        await page.GotoAsync(bookingUrl);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync($"Uw videoafspraak op {AppointmentMail.When(start!.Value)} staat.");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("In de e-mail die we u stuurden staan de link naar het gesprek");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }

    [Fact]
    public async Task A_waiting_room_lease_that_lapses_without_a_word_changes_both_open_lists_without_reload()
    {
        // A short lease, and the lists' own refresh timer far off: only the shown lease's end can make them ask again.
        await using var server = await RunningServer.StartAsync(
            "--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "4", "--Desk:AgentRefreshSeconds", "600");
        var overview = await ChatFlowTests.SignedInAvailableAgentAsync(server, "wanda", "Wanda Wachtkamer", browser.Chromium);
        var afspraken = await overview.Context.NewPageBoundedAsync();
        await afspraken.GotoAsync(new Uri(new Uri(overview.Url), "/arnhem/desk/appointments").ToString());
        await afspraken.WaitForLiveAsync();
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>()
            .PlanAsync("arnhem", "report_move", "wacht@example.nl", DateTimeOffset.UtcNow, await DemoAgentIdAsync(server, "wanda"), CancellationToken.None);
        var contact = overview.Locator($"#contacts [data-session='{planned.Appointment.SessionId}'] .contact-state");
        var row = afspraken.Locator($"#appointments tr[data-appointment='{planned.Appointment.Id}'] .appointment-state");

        var caller = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await caller.GotoAsync(planned.Link);
        await Assertions.Expect(contact).ToHaveTextAsync("Wacht in de wachtkamer");
        await Assertions.Expect(row).ToHaveTextAsync("Wacht in de wachtkamer");
        await overview.EvaluateAsync("() => window.notReloaded = true");
        await afspraken.EvaluateAsync("() => window.notReloaded = true");

        // The call page stops renewing without closing its connection (as when the instance holding it dies): nobody
        // is told, yet both lists turn once the lease has run out, well before the server would time the connection out.
        await caller.EvaluateAsync("() => { const last = setTimeout(() => {}, 0); for (let i = 0; i <= last; i++) { clearTimeout(i); clearInterval(i); } }");
        await Assertions.Expect(contact).ToHaveTextAsync("Niet in de wachtkamer", new() { Timeout = 20_000 });
        await Assertions.Expect(row).ToHaveTextAsync("Niet in de wachtkamer", new() { Timeout = 20_000 });
        Assert.True(await overview.EvaluateAsync<bool>("() => window.notReloaded === true"), "the overview updated without a reload");
        Assert.True(await afspraken.EvaluateAsync<bool>("() => window.notReloaded === true"), "the Afspraken page updated without a reload");
    }

    [Fact]
    public async Task An_appointment_whose_join_closes_moves_to_Afgelopen_without_its_actions_while_one_going_on_stays()
    {
        // The list's own timer asks every second, so the move shows soon after the join closes. The server's clock is the
        // test's: the join closes when the test moves it on, not at a moment a loaded machine might miss.
        var clock = new AheadClock(TimeSpan.Zero);
        await using var server = await RunningServer.StartAsync(logging => logging.Services.AddSingleton<TimeProvider>(clock), "--Desk:AgentRefreshSeconds", "1");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "olga", "Olga Over", browser.Chromium);
        var video = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants["arnhem"].Desk().Video;
        var store = server.App.Services.GetRequiredService<AppointmentStore>();
        var olga = await DemoAgentIdAsync(server, "olga");
        var now = DateTimeOffset.UtcNow;
        var going = await store.PlanAsync("arnhem", "report_move", "bezig@example.nl", now.AddMinutes(-5), olga, CancellationToken.None);
        // Its join closes (slot end + GraceMinutes) two minutes from now; the other's about 25 minutes later.
        var closing = await store.PlanAsync("arnhem", "report_move", "sluit@example.nl", now.AddMinutes(-video.SlotMinutes - video.GraceMinutes + 2), olga, CancellationToken.None);

        await agent.GotoAsync(new Uri(new Uri(agent.Url), "/arnhem/desk/appointments").ToString());
        await agent.WaitForLiveAsync();
        await agent.EvaluateAsync("() => window.notReloaded = true");
        var closingRow = agent.Locator($"#appointments tr[data-appointment='{closing.Appointment.Id}']");
        await Assertions.Expect(closingRow.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" })).ToBeVisibleAsync();

        // The join closes: the row moves under Afgelopen, with no action left; the one going on keeps its actions.
        clock.Ahead = TimeSpan.FromMinutes(3);
        var moved = agent.Locator($"#over-appointments tr[data-appointment='{closing.Appointment.Id}']");
        await Assertions.Expect(moved).ToContainTextAsync("Afgelopen");
        await Assertions.Expect(closingRow).ToHaveCountAsync(0);
        await Assertions.Expect(moved.Locator("a, button, select")).ToHaveCountAsync(0);
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Afgelopen", Level = 2 })).ToBeVisibleAsync();
        var goingRow = agent.Locator($"#appointments tr[data-appointment='{going.Appointment.Id}']");
        await Assertions.Expect(goingRow.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" })).ToBeVisibleAsync();
        Assert.True(await agent.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page updated without a reload");
        await Accessibility.AssertNoViolationsAsync(agent);
    }

    /// <summary>An agent's id (the demo administrator's by default): an appointment is planned by an account that exists (its agent is a foreign key).</summary>
    internal static async Task<string> DemoAgentIdAsync(RunningServer server, string userName = "demo")
    {
        await using var db = server.App.Services.GetRequiredService<IdContact.Desk.Tenants.TenantDatabases>().Open("arnhem");
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }
}
