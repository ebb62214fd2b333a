using System.Text.RegularExpressions;
using IdContact.Desk;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The desk framed by the municipality's workspace (Desk:EmbedOrigins): the staff menu's links to pages that are never
/// framed (account, administration) open in a new tab instead of the browser's blocked-frame error inside the workspace.
/// </summary>
public sealed class FramedLinksTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Framed_the_account_link_opens_a_new_tab_and_unframed_it_opens_in_place()
    {
        await using var server = await RunningServer.StartAsync();
        await using var workspace = await FakeWorkspace.StartAsync(server.BaseUrl + "/arnhem/desk");
        server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants["arnhem"].Desk().EmbedOrigins.Add(workspace.Origin);
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "frida", "Frida Frame", browser.Chromium);

        await agent.GotoAsync(workspace.Origin + "/");
        var framedMenu = agent.FrameLocator("iframe").GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        var framedAccount = framedMenu.GetByRole(AriaRole.Link, new() { Name = "Mijn account" });
        await Assertions.Expect(framedAccount).ToHaveAccessibleNameAsync("Mijn account (opent in een nieuw tabblad)");
        // Told beforehand to see as well as to hear: the link shows an arrow.
        await Assertions.Expect(framedAccount).ToHaveTextAsync(new Regex("^Mijn account ↗"));
        await Assertions.Expect(framedMenu.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" })).ToHaveAttributeAsync("target", "_blank");
        // A working page stays in the frame.
        await Assertions.Expect(framedMenu.GetByRole(AriaRole.Link, new() { Name = "Afspraken" })).ToHaveAccessibleNameAsync("Afspraken");
        await Assertions.Expect(framedMenu.GetByRole(AriaRole.Link, new() { Name = "Afspraken" })).Not.ToHaveAttributeAsync("target", "_blank");

        var account = await agent.Context.RunAndWaitForPageAsync(() => framedAccount.ClickAsync());
        await account.WaitForPageAsync($"{server.BaseUrl}/arnhem/desk/account");
        await Assertions.Expect(account.GetByRole(AriaRole.Heading, new() { Name = "Mijn account", Level = 1 })).ToBeVisibleAsync();
        await account.CloseBoundedAsync();
        // The workspace stayed where it was.
        Assert.Equal(workspace.Origin + "/", agent.Url);

        // Not framed: the same link, unchanged, opens the page in place.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        var ownAccount = agent.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Mijn account" });
        await Assertions.Expect(ownAccount).ToHaveAccessibleNameAsync("Mijn account");
        await Assertions.Expect(ownAccount.Locator("[data-unframed-hint]")).ToBeHiddenAsync();
        await ownAccount.ClickAsync();
        await agent.WaitForPageAsync($"{server.BaseUrl}/arnhem/desk/account");
        Assert.Single(agent.Context.Pages);
    }
}
