using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public class DemoFlowTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Resident_walks_from_start_page_through_auth_test_to_comm_test_showing_typed_attributes()
    {
        await using var server = await RunningServer.StartAsync();
        // A Dutch resident's browser: the pages follow Accept-Language.
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });

        await page.GotoAsync(server.BaseUrl + "/");
        // The start page has the shared look and no inline style, and passes axe-core.
        await Assertions.Expect(page.Locator("link[rel=stylesheet][href^='/assets/idcontact.css']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("style").CountAsync());
        await Accessibility.AssertNoViolationsAsync(page);
        var arnhem = page.Locator("section", new() { HasText = "Gemeente Arnhem" });
        await arnhem.GetByLabel("Onderwerp").SelectOptionAsync("report_move");
        await arnhem.GetByLabel("Testinlog").CheckAsync();
        await arnhem.GetByLabel("Testgesprek").CheckAsync();
        await arnhem.GetByRole(AriaRole.Button, new() { Name = "Starten" }).ClickAsync();

        await page.WaitForPageAsync("**/arnhem/auth-test/**");
        await page.Locator("input[name='attr:fullname']").FillAsync("Marie <b>Jansen</b>");
        await page.Locator("input[name='attr:email']").FillAsync("marie@example.nl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();

        await page.WaitForPageAsync("**/arnhem/comm-test/session/**");
        var body = page.Locator("body");
        await Assertions.Expect(body).ToContainTextAsync("Marie <b>Jansen</b>");
        await Assertions.Expect(body).ToContainTextAsync("marie@example.nl");
        // The markup typed as a value is shown as text, never rendered.
        Assert.Equal(0, await page.Locator("b", new() { HasText = "Jansen" }).CountAsync());
    }

    [Fact]
    public async Task Outside_demo_mode_the_start_page_only_says_where_to_start_and_passes_axe()
    {
        await using var server = await ProductionCore.StartAsync();
        var page = await browser.Chromium.NewPageBoundedAsync(new() { Locale = "nl-NL" });

        await page.GotoAsync(server.BaseUrl + "/");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("U start dit vanaf de website van uw gemeente.");
        Assert.DoesNotContain("Arnhem", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("form").CountAsync());
        await Accessibility.AssertNoViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You start it from your municipality's website.");
        await Accessibility.AssertNoViolationsAsync(page);
    }
}
