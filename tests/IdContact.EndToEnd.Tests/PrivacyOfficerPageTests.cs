using IdContact.Desk.Agents;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The data protection officer (FG) in Chromium: appointed by an administrator, starts on the access log, reaches the administrator actions by keyboard.</summary>
public partial class AgentAdminTests
{
    [Fact]
    public async Task Privacy_officer_appointed_by_an_administrator_starts_on_the_access_log_and_reaches_the_administrator_actions_by_keyboard()
    {
        await using var server = await RunningServer.StartAsync();
        await SeedAccessYesterdayAsync(server, ("anna", "sessie-1", AuditActions.View, 9), ("bert", "sessie-2", AuditActions.View, 10));

        // The administrator appoints the officer when creating the account: one role, chosen with a radio button.
        var admin = await SignInNewAdmin(server, "arnhem", "beheer");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await admin.GetByLabel("Gebruikersnaam").FillAsync("fg");
        await admin.GetByRole(AriaRole.Radio, new() { Name = "Functionaris gegevensbescherming (FG)" }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        var password = await admin.Locator("#one-time-password").InnerTextAsync();
        var row = admin.Locator("tr[data-agent='fg']");
        await Assertions.Expect(row).ToContainTextAsync("fg (FG)");
        // An officer cannot also be made administrator here: only revoking is offered.
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Beheerder maken fg" })).ToHaveCountAsync(0);
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "FG-rechten intrekken fg" })).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("#admin-audit tr", new() { HasText = "aangemaakt als functionaris gegevensbescherming" })).ToContainTextAsync("beheer");
        await Accessibility.AssertNoViolationsAsync(admin);

        var officer = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await SignIn(officer, server, "arnhem", "fg", password);
        // The officer's sign-in lands on the access log: no contacts to handle, no accounts to manage.
        await ChooseOwnPassword(officer, password, landing: "Inzage-log");
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" })).ToHaveCountAsync(0);
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Binnenkomende contacten" })).ToHaveCountAsync(0);
        await Assertions.Expect(officer.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" })).ToBeVisibleAsync();
        await Assertions.Expect(officer.Locator("#access-log-count")).ToHaveTextAsync("2 registraties, nieuwste eerst");
        await Assertions.Expect(officer.Locator("#access-log tbody tr").First).ToContainTextAsync("bert");
        await Accessibility.AssertNoViolationsAsync(officer);
        await officer.GotoAsync(officer.Url + "?lang=en");
        await Assertions.Expect(officer.Locator("#access-log-count")).ToHaveTextAsync("2 records, newest first");
        await Accessibility.AssertNoViolationsAsync(officer);

        // The administrators' actions, in English and in Dutch: the appointment, and the officer's own reads of the log.
        // Keyboard only: Tab through the menu to them, Enter opens them.
        var steps = 0;
        // innerText: what the link shows, not a hidden hint inside it (framed-links.js shows it only in a frame).
        while (await officer.EvaluateAsync<string>("() => document.activeElement instanceof HTMLElement ? document.activeElement.innerText.trim() : ''") != "Administrator actions")
        {
            Assert.True(++steps < 20, "the administrator actions are not reachable by Tab from the access log");
            await officer.Keyboard.PressAsync("Tab");
        }

        await officer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(officer.Locator("h1")).ToHaveTextAsync("Administrator actions");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr", new() { HasText = "created as data protection officer" })).ToContainTextAsync("beheer");
        await Accessibility.AssertNoViolationsAsync(officer);
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/audit?lang=nl");
        await officer.GetByRole(AriaRole.Link, new() { Name = "Raadplegingen inzage-log" }).ClickAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Raadplegingen inzage-log" })).ToHaveAttributeAsync("aria-current", "page");

        // The list shown is marked for the eye too, as the menu marks the page: bold and not underlined, the others links.
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Raadplegingen inzage-log" })).ToHaveCSSAsync("font-weight", "700");
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Raadplegingen inzage-log" })).ToHaveCSSAsync("text-decoration-line", "none");
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Aanmeldingen" })).ToHaveCSSAsync("text-decoration-line", "underline");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr").First).ToContainTextAsync("fg");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr").First).ToContainTextAsync("inzage-log bekeken: alles");
        await Accessibility.AssertNoViolationsAsync(officer);

        // The agents' sign-ins, a list of their own (BIO 12.4.1): the administrator's and the officer's.
        await officer.GetByRole(AriaRole.Link, new() { Name = "Aanmeldingen" }).ClickAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Aanmeldingen" })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr", new() { HasText = "beheer" })).ToContainTextAsync("aangemeld met wachtwoord");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr", new() { HasText = "fg" }).First).ToContainTextAsync("aangemeld met wachtwoord");
        await Accessibility.AssertNoViolationsAsync(officer);
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/audit?kind=sign-ins&lang=en");
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Sign-ins" })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(officer.Locator("#admin-audit tbody tr", new() { HasText = "fg" }).First).ToContainTextAsync("signed in with password");
        await Accessibility.AssertNoViolationsAsync(officer);

        // The staff's actions on video appointments, a list of their own (none yet in this demo), in both languages.
        await officer.GetByRole(AriaRole.Link, new() { Name = "Actions on appointments", Exact = true }).ClickAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Actions on appointments", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(officer.Locator("main")).ToContainTextAsync("No appointments assigned, taken or cancelled yet.");
        await Accessibility.AssertNoViolationsAsync(officer);
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/audit?kind=appointments&lang=nl");
        await Assertions.Expect(officer.GetByRole(AriaRole.Link, new() { Name = "Acties op afspraken", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(officer.Locator("main")).ToContainTextAsync("Nog geen afspraken toegewezen, aangenomen of geannuleerd.");
        await Accessibility.AssertNoViolationsAsync(officer);

        // A staff page of another role, opened by its address: "Geen toegang" with the officer's menu, axe-core clean in
        // both languages.
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin?lang=nl");
        await Assertions.Expect(officer.Locator("h1")).ToHaveTextAsync("Geen toegang");
        await Assertions.Expect(officer.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        await Accessibility.AssertNoViolationsAsync(officer);
        await officer.GotoAsync(server.BaseUrl + "/arnhem/desk/admin?lang=en");
        await Assertions.Expect(officer.Locator("h1")).ToHaveTextAsync("No access");
        await Assertions.Expect(officer.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Accessibility.AssertNoViolationsAsync(officer);

        // Account management and the contacts stay closed to the officer.
        Assert.Equal(403, (await officer.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/admin")).Status);
        Assert.Equal(403, (await officer.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/contacts")).Status);
    }
}
