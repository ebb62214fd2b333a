using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// A municipality's page without script posts its start form; when the start cannot go on (here: a subject the
/// municipality no longer offers) the resident reads a page in their language that passes axe-core, not a problem document.
/// </summary>
public class StartFailedPageTests(Browser browser) : IClassFixture<Browser>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_form_start_that_cannot_start_is_an_accessible_page_in_the_residents_language(bool english)
    {
        await using var server = await RunningServer.StartAsync();
        var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
        var page = await context.NewPageBoundedAsync();
        // The municipality's own site is another origin: a form of it, as a page without script has.
        await page.SetContentAsync($"""
            <form method="post" action="{server.BaseUrl}/arnhem/start{(english ? "?lang=en" : "")}">
              <input type="hidden" name="purpose" value="no_longer_offered">
              <input type="hidden" name="auth_method" value="test">
              <input type="hidden" name="comm_method" value="phone">
              <button>Start</button>
            </form>
            """);
        var answer = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync(), server.BaseUrl + "/arnhem/start**");

        Assert.Equal(404, answer.Status);
        Assert.Equal(english ? "en" : "nl", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(english ? "This cannot be started this way" : "Dit kan zo niet worden gestart");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
    }
}
