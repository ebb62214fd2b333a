using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A refused staff form in a real browser: the error summary takes the focus and its links lead into the form.</summary>
public partial class AgentAdminTests
{
    [Fact]
    public async Task A_refused_new_agent_form_focuses_its_error_summary_whose_link_puts_the_focus_in_the_field_and_passes_axe()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "beheer-fout");
        await page.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await page.GetByLabel("Gebruikersnaam").FillAsync("toestel-fout");
        await page.GetByLabel("Toestelnummer softphone").FillAsync("12a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();

        // The title says it first; the summary has the focus, so a screen reader reads it and Tab goes on from there.
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Fout: Medewerkers beheren"));
        var summary = page.Locator("#admin-error");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Er is een probleem");
        var field = page.GetByLabel("Toestelnummer softphone");
        await Assertions.Expect(field).ToHaveValueAsync("12a");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("Vul een toestelnummer van alleen cijfers in"));

        await Accessibility.AssertNoViolationsAsync(page);

        await summary.GetByRole(AriaRole.Link, new() { Name = "Vul een toestelnummer van alleen cijfers in, hoogstens 32." }).ClickAsync();
        await Assertions.Expect(field).ToBeFocusedAsync();
    }
}
