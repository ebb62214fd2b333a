using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests
{
    [Fact]
    public async Task A_table_region_is_a_Tab_stop_only_while_it_scrolls_sideways_and_axe_still_passes()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "tabellen");
        await page.SetViewportSizeAsync(1600, 900);
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        var region = page.Locator("#staffing-list .idc-table-scroll");

        // Wide: the staffing table fits, so its region is no Tab stop (the server rendered one; the script took it away).
        Assert.False(await OverflowsAsync(region));
        await Assertions.Expect(region).Not.ToHaveAttributeAsync("tabindex", "0");
        Assert.False(await TabReachesAsync(page, region));

        // At 640 px (a laptop at 200 %) the table scrolls in its region: a Tab stop again, and axe finds nothing.
        await page.SetViewportSizeAsync(640, 720);
        await Assertions.Expect(region).ToHaveAttributeAsync("tabindex", "0");
        Assert.True(await OverflowsAsync(region));
        Assert.True(await TabReachesAsync(page, region));
        await Accessibility.AssertNoViolationsAsync(page);

        // Wide again: the stop goes once focus has left the region.
        await page.SetViewportSizeAsync(1600, 900);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(region).Not.ToHaveAttributeAsync("tabindex", "0");
    }

    private static Task<bool> OverflowsAsync(ILocator region) =>
        region.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth");

    /// <summary>Tabs through the page from the top, once round; true when the region got focus (and it keeps it).</summary>
    private static async Task<bool> TabReachesAsync(IPage page, ILocator region)
    {
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await region.EvaluateAsync<bool>("e => document.activeElement === e"))
            {
                return true;
            }
        }

        return false;
    }
}
