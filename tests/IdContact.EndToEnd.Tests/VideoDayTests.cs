using IdContact.Desk;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A busy video day in Chromium with fake media: appointments back to back, a call that overruns its slot.</summary>
public sealed class VideoDayTests(VideoBrowser browser) : IClassFixture<VideoBrowser>
{
    [Fact]
    public async Task A_call_that_overruns_goes_on_the_waiting_residents_are_told_who_is_next_and_the_agent_that_the_next_one_waits()
    {
        // The pages ask every second; the server's clock is the test's, so a slot ends when the test moves it on.
        var clock = new AheadClock(TimeSpan.Zero);
        await using var server = await RunningServer.StartAsync(
            logging => logging.Services.AddSingleton<TimeProvider>(clock), "--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "30");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "dirk", "Dirk Dag", browser.Chromium);
        var store = server.App.Services.GetRequiredService<AppointmentStore>();
        var slot = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants["arnhem"].Desk().Video.SlotMinutes;
        var dirk = await VideoAppointmentPageTests.DemoAgentIdAsync(server, "dirk");
        var now = DateTimeOffset.UtcNow;
        // Back to back: the current appointment ends in five minutes, the next two both start then (planned twice).
        var current = await store.PlanAsync("arnhem", "report_move", "nu@example.nl", now.AddMinutes(5 - slot), dirk, CancellationToken.None);
        var next = await store.PlanAsync("arnhem", "report_move", "volgende@example.nl", now.AddMinutes(5), dirk, CancellationToken.None);
        var after = await store.PlanAsync("arnhem", "report_move", "daarna@example.nl", now.AddMinutes(5), dirk, AppointmentMail.English, CancellationToken.None);

        var first = await OpenAsync(server, current.Link, "nl-NL");
        await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/video/{current.Appointment.SessionId}");
        await Assertions.Expect(first.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");

        // The next residents come early: their slot has not begun, so they wait as ever, with no word of a queue.
        var second = await OpenAsync(server, next.Localized(false).Link, "nl-NL");
        var third = await OpenAsync(server, after.Localized(true).Link, "en-US");
        await Assertions.Expect(second.Locator("#starts")).ToBeVisibleAsync();
        await WaitForAskedAsync(second, "#queue-notice");
        await Assertions.Expect(second.Locator("#queue-notice")).ToBeEmptyAsync();
        await Assertions.Expect(second.Locator("#queue-notice")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("#slot-notice")).ToBeEmptyAsync();

        // The current slot ends and the next begins, the call goes on: the next resident learns the agent is still in a
        // call and that they are next; the one after them that someone waits before them; the agent that time is up.
        clock.Ahead = TimeSpan.FromMinutes(6);
        var notice = second.GetByRole(AriaRole.Status).Filter(new() { HasText = "De medewerker is nog in een gesprek." });
        await Assertions.Expect(notice).ToHaveTextAsync("De medewerker is nog in een gesprek. U bent de volgende.");
        await Assertions.Expect(third.Locator("#queue-notice")).ToHaveTextAsync("The agent is still in another call. Someone is waiting before you.");
        await Assertions.Expect(second.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        var until = DutchTime.Of(current.Appointment.End!.Value).ToString("HH:mm");
        var at = DutchTime.Of(next.Appointment.Start!.Value).ToString("HH:mm");
        await Assertions.Expect(agent.GetByRole(AriaRole.Status).Filter(new() { HasText = "De tijd van deze afspraak is om" }))
            .ToHaveTextAsync($"De tijd van deze afspraak is om ({until}). De volgende inwoner wacht (afspraak van {at}).");
        await Assertions.Expect(first.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");
        await VideoCallTests.PlayingAsync(first, "#remote-video");
        await Accessibility.AssertNoViolationsAsync(second, strictCsp: true);
        await Accessibility.AssertNoViolationsAsync(third, strictCsp: true);
        await Accessibility.AssertNoViolationsAsync(agent);

        // The agent hangs up and opens the next call: the notice goes, the call starts.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#slot-notice")).ToBeEmptyAsync();
        await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/video/{next.Appointment.SessionId}");
        await Assertions.Expect(second.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await Assertions.Expect(second.Locator("#queue-notice")).ToBeEmptyAsync();
        // The one after is next now; this call's own slot has begun but not ended, so the agent is told nothing yet.
        await Assertions.Expect(third.Locator("#queue-notice")).ToHaveTextAsync("The agent is still in another call. You are next.");
        await WaitForAskedAsync(agent, "#slot-notice");
        await Assertions.Expect(agent.Locator("#slot-notice")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task An_agent_who_leaves_the_call_page_frees_the_call_and_the_resident_is_told_the_agents_connection_is_gone_and_may_wait()
    {
        await using var server = await RunningServer.StartAsync("--Desk:Chat:PresenceRenewSeconds", "1", "--Desk:Chat:PresenceLeaseSeconds", "30");
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "dirk", "Dirk Dag", browser.Chromium);
        var store = server.App.Services.GetRequiredService<AppointmentStore>();
        var dirk = await VideoAppointmentPageTests.DemoAgentIdAsync(server, "dirk");
        var dutch = await store.PlanAsync("arnhem", "report_move", "weg@example.nl", DateTimeOffset.UtcNow, dirk, CancellationToken.None);
        var english = await store.PlanAsync("arnhem", "report_move", "gone@example.nl", DateTimeOffset.UtcNow, dirk, AppointmentMail.English, CancellationToken.None);
        var residents = new List<IPage>();
        foreach (var (booked, inEnglish, locale) in new[] { (dutch, false, "nl-NL"), (english, true, "en-US") })
        {
            var resident = await OpenAsync(server, booked.Localized(inEnglish).Link, locale);
            residents.Add(resident);
            await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/video/{booked.Appointment.SessionId}");
            await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");
            // The agent leaves the call page without hanging up (to the Afspraken list): the call no longer runs.
            await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/appointments");
        }

        await Assertions.Expect(residents[0].Locator("#queue-notice")).ToHaveTextAsync(VideoQueue.AgentLeft(false));
        await Assertions.Expect(residents[0].Locator("#queue-notice")).ToContainTextAsync("U kunt op deze pagina wachten");
        await Assertions.Expect(residents[1].Locator("#queue-notice")).ToHaveTextAsync(VideoQueue.AgentLeft(true));
        await Accessibility.AssertNoViolationsAsync(residents[0], strictCsp: true);
        await Accessibility.AssertNoViolationsAsync(residents[1], strictCsp: true);

        // The Afspraken list says the agent left, and offers the call to a colleague (Toewijzen) again.
        var row = agent.Locator($"tr[data-appointment='{dutch.Appointment.Id}']");
        await Assertions.Expect(row.Locator(".appointment-state")).ToHaveTextAsync("Medewerker niet meer in het gesprek");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Toewijzen" })).ToBeVisibleAsync();

        // The agent reopens the call: it runs again, and the resident's notice goes.
        await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/video/{dutch.Appointment.SessionId}");
        await Assertions.Expect(residents[0].Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await Assertions.Expect(residents[0].Locator("#queue-notice")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task Inwoner_niet_verschenen_ends_an_appointment_whose_resident_did_not_come_and_the_link_says_it_is_over()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "dirk", "Dirk Dag", browser.Chromium);
        var store = server.App.Services.GetRequiredService<AppointmentStore>();
        var dirk = await VideoAppointmentPageTests.DemoAgentIdAsync(server, "dirk");
        var absent = await store.PlanAsync("arnhem", "report_move", "afwezig@example.nl", DateTimeOffset.UtcNow.AddMinutes(-6), dirk, CancellationToken.None);
        var other = await store.PlanAsync("arnhem", "report_move", "absent@example.nl", DateTimeOffset.UtcNow.AddMinutes(-7), dirk, CancellationToken.None);
        await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/appointments?lang=en");
        await Assertions.Expect(agent.Locator($"tr[data-appointment='{other.Appointment.Id}']").GetByRole(AriaRole.Button, new() { Name = "Resident did not come" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);
        await agent.GotoAsync($"{server.BaseUrl}/arnhem/desk/appointments?lang=nl");
        var button = agent.Locator($"tr[data-appointment='{absent.Appointment.Id}']").GetByRole(AriaRole.Button, new() { Name = "Inwoner niet verschenen" });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        // By keyboard: the button takes focus visibly and Enter marks it.
        await button.FocusAsync();
        await Assertions.Expect(button).ToBeFocusedAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Assertions.Expect(agent.Locator("#message")).ToHaveTextAsync("Vastgelegd: de inwoner is niet verschenen. De afspraak is voorbij.");
        await Assertions.Expect(agent.Locator($"#appointments tr[data-appointment='{absent.Appointment.Id}']")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(agent);

        // The resident's link now says the appointment is over.
        var resident = await OpenAsync(server, absent.Link, "nl-NL");
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("Deze link werkt niet meer");
    }

    private async Task<IPage> OpenAsync(RunningServer server, string link, string locale)
    {
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = locale })).NewPageBoundedAsync();
        await page.GotoAsync(server.BaseUrl + new Uri(link).PathAndQuery);
        return page;
    }

    /// <summary>
    /// The page's notice (the resident's queue or the agent's slot) has had two more answers from the desk: what it shows
    /// now answers the desk's state as the test left it.
    /// </summary>
    private static async Task WaitForAskedAsync(IPage page, string notice)
    {
        var asked = await page.Locator(notice).GetAttributeAsync("data-asked");
        var seen = int.TryParse(asked, out var n) ? n : 0;
        await page.WaitForFunctionAsync("([s, n]) => Number(document.querySelector(s).dataset.asked || 0) >= n", new object[] { notice, seen + 2 });
    }
}
