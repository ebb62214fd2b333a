using IdContact.Desk;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting.AuthPlugins;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The administrators' access log in Chromium: reached from the admin page, filtered by keyboard, axe-clean.</summary>
public partial class AgentAdminTests
{
    [Fact]
    public async Task Administrator_finds_who_saw_a_session_in_the_access_log_by_keyboard_and_downloads_it()
    {
        await using var server = await RunningServer.StartAsync();
        var yesterday = await SeedAccessYesterdayAsync(server, ("anna", "sessie-1", "view", 9), ("bert", "sessie-1", "take", 10), ("anna", "sessie-2", "view", 11));

        var page = await SignInNewAdmin(server, "arnhem", "privacy");
        await page.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Inzage-log" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inzage-log");
        await Assertions.Expect(page.Locator("#access-log-count")).ToHaveTextAsync("3 registraties, nieuwste eerst");
        await Assertions.Expect(page.Locator("#access-log-count")).Not.ToBeFocusedAsync(); // opened, not searched
        await Accessibility.AssertNoViolationsAsync(page);

        // The same page in English passes axe too.
        await page.GotoAsync(page.Url + "?lang=en");
        await Assertions.Expect(page.Locator("#access-log-count")).ToHaveTextAsync("3 records, newest first");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands" }).ClickAsync(); // the choice sticks: back with the switch

        // Keyboard only: type a session id, Enter searches; then an action chosen with the arrow keys and Tab to the button.
        await page.GetByLabel("Sessienummer").FocusAsync();
        await page.Keyboard.TypeAsync("sessie-1");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#access-log-count")).ToHaveTextAsync("2 registraties, nieuwste eerst");
        // What the search found has the focus (WCAG 2.4.3): Tab goes on to the download and the table, not from the top.
        await Assertions.Expect(page.Locator("#access-log-count")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#access-log tbody tr").First).ToContainTextAsync("bert");
        await Assertions.Expect(page.GetByLabel("Sessienummer")).ToHaveValueAsync("sessie-1");

        await page.GetByLabel("Actie", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByLabel("Actie", new() { Exact = true })).ToHaveValueAsync("view");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToContainTextAsync("anna");
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToContainTextAsync("gegevens bekeken");
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToContainTextAsync($"{yesterday:dd-MM-yyyy} 09:00:00");

        // Every field has its label; a period and an agent narrow it further; nothing found is said plainly.
        await page.GetByLabel("Medewerker (gebruikersnaam)").FillAsync("bert");
        await page.GetByLabel("Van (datum)").FillAsync(yesterday.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Tot en met (datum)").FillAsync(yesterday.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        await Assertions.Expect(page.Locator("#access-log-empty")).ToHaveTextAsync("Geen inzagen gevonden.");
        await Assertions.Expect(page.Locator("#access-log-empty")).ToBeFocusedAsync();
        await page.GetByLabel("Actie", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToHaveCountAsync(1);
        await Accessibility.AssertNoViolationsAsync(page);

        // The download is the same filtered list.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Downloaden als CSV" }).ClickAsync());
        var day = yesterday.ToString("yyyy-MM-dd");
        Assert.Equal($"inzagelog-arnhem-{day}-{day}.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(",bert,id-bert,take,contact aangenomen,sessie-1", csv);

        // Both reads and the download are on the admin page, apart from the account changes.
        await page.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        var reads = page.Locator("#access-log-reads");
        await Assertions.Expect(reads.Locator("tr", new() { HasText = "inzage-log bekeken: session=sessie-1; action=view" })).ToContainTextAsync("privacy");
        await Assertions.Expect(reads.Locator("tr", new() { HasText = $"inzage-log gedownload: agent=bert; session=sessie-1; from={day}; to={day}" })).ToContainTextAsync("privacy");
        await Accessibility.AssertNoViolationsAsync(page);
    }

    [Fact]
    public async Task The_officer_answers_a_residents_access_request_by_bsn_by_keyboard_and_a_wrong_bsn_is_named_on_its_field()
    {
        await using var server = await RunningServer.StartAsync();
        await SeedAccessYesterdayAsync(server, ("anna", "sessie-inwoner", "view", 9), ("bert", "sessie-inwoner", "take", 10), ("anna", "sessie-ander", "view", 11));
        var pseudonyms = server.App.Services.GetRequiredService<SubjectPseudonyms>();
        var resident = await pseudonyms.OfBsnAsync("arnhem", "999990019", CancellationToken.None);
        await using (var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem"))
        {
            foreach (var record in db.Audit.Where(r => r.SessionId == "sessie-inwoner"))
            {
                record.SubjectPseudonym = resident;
            }

            await db.SaveChangesAsync();
        }

        var page = await SignInNewAdmin(server, "arnhem", "privacy");
        await page.GotoAsync($"{server.BaseUrl}/arnhem/desk/admin/access-log");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Inzage-log");

        // A number that fails the eleven-test: the message is on the field, which says it is invalid.
        await page.GetByLabel("BSN", new() { Exact = true }).FocusAsync();
        await page.Keyboard.TypeAsync("123456789");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#access-log-error")).ToContainTextAsync("de elfproef klopt niet");
        // The summary takes the focus, which has a screen reader read it; no alert as well, or it is read twice.
        await Assertions.Expect(page.Locator("#access-log-error")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#access-log-error")).Not.ToHaveAttributeAsync("role", "alert");
        var field = page.GetByLabel("BSN", new() { Exact = true });
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("9 cijfers.*elfproef"));
        await Accessibility.AssertNoViolationsAsync(page);

        // Corrected by keyboard: the resident's records only, and no BSN on the page or in its address.
        await field.FillAsync("");
        await field.FocusAsync();
        await page.Keyboard.TypeAsync("999 990 019");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Inzagen van de inwoner tonen" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#access-log-count")).ToHaveTextAsync("2 registraties, nieuwste eerst");
        await Assertions.Expect(page.Locator("#access-log-count")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#access-log-subject")).ToBeVisibleAsync();
        Assert.DoesNotContain("999990019", page.Url);
        Assert.DoesNotContain("999990019", await page.ContentAsync());
        await Accessibility.AssertNoViolationsAsync(page);

        // English: the field is named in full, as the attribute is on every page (one table of names).
        await page.GotoAsync(page.Url + "&lang=en");
        await Assertions.Expect(page.GetByLabel(AttributeLabels.Plain("bsn", english: true), new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#access-log-count")).ToHaveTextAsync("2 records, newest first");
        await Accessibility.AssertNoViolationsAsync(page);
    }

    [Fact]
    public async Task The_access_log_prints_as_a_written_answer_with_the_search_and_how_far_back_it_goes()
    {
        await using var server = await RunningServer.StartAsync();
        var yesterday = await SeedAccessYesterdayAsync(server, ("anna", "sessie-1", "view", 9), ("bert", "sessie-1", "take", 10), ("bert", "sessie-2", "view", 11));
        var page = await SignInNewAdmin(server, "arnhem", "privacy-print");
        await page.AddInitScriptAsync("window.print = () => { window.printed = (window.printed || 0) + 1; };");
        var day = yesterday.ToString("yyyy-MM-dd");
        await page.GotoAsync($"{server.BaseUrl}/arnhem/desk/admin/access-log?agent=bert&from={day}");

        // On screen: how far back the log answers, and a print button; the paper-only summary is not shown.
        await Assertions.Expect(page.Locator("#access-log-retention")).ToHaveTextAsync("Registraties worden 365 dagen bewaard en daarna verwijderd: oudere inzagen staan niet meer in dit log.");
        await Assertions.Expect(page.Locator("#access-log-print-summary")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Afdrukken" }).ClickAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("window.printed"));
        await Accessibility.AssertNoViolationsAsync(page);

        // On paper: no menu or forms, the search in words with when it was retrieved, and the records.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        foreach (var gone in new[] { "#sign-out", "#f-bsn", "#f-agent", "#access-log-csv", "#access-log-print" })
        {
            await Assertions.Expect(page.Locator(gone)).ToBeHiddenAsync();
        }

        var summary = page.Locator("#access-log-print-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToContainTextAsync($"Zoekvraag: medewerker bert, van {yesterday:dd-MM-yyyy}.");
        await Assertions.Expect(summary).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Inzage-log van Gemeente Arnhem, opgevraagd op \d{2}-\d{2}-\d{4} \d{2}:\d{2} \(Nederlandse tijd\)\."));
        await Assertions.Expect(page.Locator("#access-log-retention")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#access-log tbody tr")).ToHaveCountAsync(2);

        // In English too.
        await page.GotoAsync($"{server.BaseUrl}/arnhem/desk/admin/access-log?agent=bert&action=view&lang=en");
        await Assertions.Expect(summary).ToContainTextAsync("Search: agent bert, action: viewed the data.");
        await Assertions.Expect(page.Locator("#access-log-retention")).ToContainTextAsync("Records are kept for 365 days");
    }

    /// <summary>Access records in Arnhem's log at hours of yesterday (Dutch time); returns that day.</summary>
    private static async Task<DateTime> SeedAccessYesterdayAsync(RunningServer server, params (string Agent, string Session, string Action, int Hour)[] records)
    {
        var yesterday = DutchTime.Of(DateTimeOffset.UtcNow).Date.AddDays(-1);
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        foreach (var (agent, session, action, hour) in records)
        {
            var at = TimeZoneInfo.ConvertTimeToUtc(yesterday.AddHours(hour), DutchTime.Zone);
            db.Audit.Add(new AuditRecord { AgentId = "id-" + agent, AgentName = agent, SessionId = session, Action = action, At = new DateTimeOffset(at, TimeSpan.Zero) });
        }

        await db.SaveChangesAsync();
        return yesterday;
    }
}
