using System.Text.RegularExpressions;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Identifying a caller on the web (Beller identificeren) in two Chromium contexts of the embedded demo's Arnhem: the
/// agent starts it by keyboard and reads out the code; the caller types it at /arnhem/id and signs in with the test
/// sign-in; the agent's page shows the name without a reload.
/// </summary>
public sealed class WebCodeFlowTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_agent_starts_it_by_keyboard_the_caller_types_the_code_and_signs_in_and_the_agent_sees_the_name_live()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "willem", "Willem Web", browser.Chromium);

        // By keyboard: the subject with the arrow key, Tab to the button, Enter.
        await agent.GetByLabel("Onderwerp").FocusAsync();
        await agent.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(agent.GetByLabel("Onderwerp")).ToHaveValueAsync("request_passport");
        await agent.Keyboard.PressAsync("Tab");
        var start = agent.GetByRole(AriaRole.Button, new() { Name = "Beller identificeren" });
        await Assertions.Expect(start).ToBeFocusedAsync();
        await agent.Keyboard.PressAsync("Enter");
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/identify/"));
        var card = agent.Locator("article.contact");
        await Assertions.Expect(card).ToContainTextAsync("Paspoort aanvragen");
        await Assertions.Expect(card.Locator(".web-code__address")).ToHaveTextAsync(new Regex("/arnhem/id$"));
        var code = (await card.Locator(".web-code__code span[aria-hidden]").TextContentAsync())!.Replace(" ", "");
        Assert.Matches("^[0-9]{8}$", code);
        await Accessibility.AssertNoViolationsAsync(agent, strictCsp: true);

        // The caller, in Dutch: the page passes axe-core; a wrong code gets the message, linked to the field.
        var residentContext = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var resident = await residentContext.NewPageBoundedAsync();
        await resident.GotoAsync(server.BaseUrl + "/arnhem/id");

        // The page gives the browser its id for counting wrong codes: only for these pages, out of script's reach.
        var browserCookie = Assert.Single(await residentContext.CookiesAsync(), c => c.Name == "idcontact.webcode");
        Assert.Equal(("/arnhem/id", true, SameSiteAttribute.Lax), (browserCookie.Path, browserCookie.HttpOnly, browserCookie.SameSite));
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);
        var field = resident.GetByLabel("Code");
        await field.FillAsync("0000 0000");
        await field.PressAsync("Enter");
        await Assertions.Expect(resident.Locator("#code-error")).ToContainTextAsync("Deze code klopt niet of is niet meer geldig");
        await Assertions.Expect(resident.GetByLabel("Code")).ToHaveAttributeAsync("aria-describedby", "code-error code-hint");
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // The right code lists the purpose's sign-in methods; the test sign-in returns to "back to the call".
        await resident.GetByLabel("Code").FillAsync(code);
        await resident.GetByRole(AriaRole.Button, new() { Name = "Verder" }).ClickAsync();
        await Assertions.Expect(resident.Locator("main")).ToContainTextAsync("Paspoort aanvragen");
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);
        await resident.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync("Wim de Beller");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/id/done/**");
        await Assertions.Expect(resident.Locator("main")).ToContainTextAsync("U kunt terug naar het telefoongesprek");
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // The agent's page shows the name live, as for an identified call, and then ends it: the data is gone.
        await Assertions.Expect(card).ToContainTextAsync("Wim de Beller");
        await Assertions.Expect(card).ToContainTextAsync("Identificatie via de website, door Willem Web");
        await Accessibility.AssertNoViolationsAsync(agent, strictCsp: true);
        await card.GetByRole(AriaRole.Button, new() { Name = "Beëindigen en gegevens verwijderen" }).ClickAsync();
        await Assertions.Expect(agent.Locator(".notice").First).ToContainTextAsync("De identificatie is beëindigd");
        await Assertions.Expect(agent.Locator("#contacts")).Not.ToContainTextAsync("Wim de Beller");

        // In English: the agent's page and the caller's page, and the spent code's message.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk?lang=en");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identify a caller" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/identify/.*lang=en"));
        await Assertions.Expect(agent.Locator("article.contact")).ToContainTextAsync("Read this out to the caller");
        await Accessibility.AssertNoViolationsAsync(agent, strictCsp: true);
        var english = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "en-GB" })).NewPageBoundedAsync();
        await english.GotoAsync(server.BaseUrl + "/arnhem/id?lang=en");
        await Assertions.Expect(english.Locator("h1")).ToHaveTextAsync("Identify yourself during a call");
        await Accessibility.AssertNoViolationsAsync(english, strictCsp: true);
        await english.GetByLabel("Code").FillAsync(code);
        await english.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(english.Locator("#code-error")).ToContainTextAsync("This code is not right or no longer valid");
        await Accessibility.AssertNoViolationsAsync(english, strictCsp: true);
    }
}
