using IdContact.Desk;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tests;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// The desk framed by the municipality's workspace (Desk:EmbedOrigins), where pages that are never framed (the
/// identity provider's, the access log) would show the browser's blocked-frame error: signing out, and the officer's landing.
/// </summary>
public sealed class FramedSignOutTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Signing_out_in_the_workspaces_frame_stays_on_the_sign_in_page_and_finishes_at_the_provider_in_a_new_tab()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var server = await ProviderDesk.StartAsync(provider, "Ede-account");
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, "ede", "frits@ede.example", "Frits", "201");
        Assert.True(password is not null, string.Join(" ", errors));
        provider.UserName = "frits@ede.example";
        await using var workspace = await FakeWorkspace.StartAsync(server.BaseUrl + "/ede/desk");
        options.Tenants["ede"].Desk().EmbedOrigins.Add(workspace.Origin);

        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await page.GotoAsync($"{server.BaseUrl}/ede/desk/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen met Ede-account", Exact = true }).ClickAsync();
        // Through the provider and back: its first token request and key download take a while on a busy machine.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Binnenkomende contacten", new() { Timeout = 60_000 });
        // Top level, the sign-out form says it is not framed.
        await Assertions.Expect(page.Locator("input[data-framed]")).ToHaveValueAsync("0");

        await page.GotoAsync(workspace.Origin + "/");
        var frame = page.FrameLocator("iframe");
        await Assertions.Expect(frame.Locator("h1")).ToHaveTextAsync("Binnenkomende contacten");
        await Assertions.Expect(frame.Locator("input[data-framed]")).ToHaveValueAsync("1");
        await frame.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).ClickAsync();

        // Still in the frame: the sign-in page, not the provider's sign-out.
        await Assertions.Expect(frame.Locator("#login-notice")).ToContainTextAsync("U bent mogelijk nog ingelogd bij Ede-account");
        Assert.Empty(provider.EndSessions);
        var finish = frame.GetByRole(AriaRole.Button, new() { Name = "Ook uitloggen bij Ede-account (opent in een nieuw tabblad)" });
        var tab = await page.Context.RunAndWaitForPageAsync(() => finish.ClickAsync());
        await tab.WaitForPageAsync($"{server.BaseUrl}/ede/desk/login?signedout=this");
        await Assertions.Expect(tab.Locator("#login-notice")).ToHaveTextAsync("U bent uitgelogd.");
        Assert.Single(provider.EndSessions);
        // The notice with its button, as the frame showed it, checked by axe-core in a page of its own.
        await tab.GotoAsync($"{server.BaseUrl}/ede/desk/login?signedout=all&provider=frame");
        await Assertions.Expect(tab.GetByRole(AriaRole.Button, new() { Name = "Ook uitloggen bij Ede-account (opent in een nieuw tabblad)" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(tab);
        await tab.CloseBoundedAsync();
        // The workspace stayed where it was.
        Assert.Equal(workspace.Origin + "/", page.Url);
    }

    [Fact]
    public async Task Framed_the_privacy_officer_lands_on_a_page_that_opens_the_access_log_in_a_new_tab()
    {
        await using var server = await RunningServer.StartAsync();
        await using var workspace = await FakeWorkspace.StartAsync(server.BaseUrl + "/arnhem/desk");
        server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants["arnhem"].Desk().EmbedOrigins.Add(workspace.Origin);
        string password;
        await using (var identity = new OfflineIdentity(server.App.Services.GetRequiredService<TenantDatabases>(), "arnhem"))
        {
            var (officer, handedOut, errors) = await AgentAccounts.CreateAsync(identity.Users, "fg-kader", "Functionaris", null, AgentAuthorization.PrivacyRole);
            Assert.True(officer is not null, string.Join(" ", errors));
            officer.MustChangePassword = false;
            await identity.Users.UpdateAsync(officer);
            password = handedOut!;
        }

        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await page.GotoAsync(workspace.Origin + "/");
        var frame = page.FrameLocator("iframe");
        await frame.GetByLabel("Gebruikersnaam").FillAsync("fg-kader");
        await frame.GetByLabel("Wachtwoord").FillAsync(password);
        await frame.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        // A page the workspace may frame, not the access log's blocked frame; axe-core clean as the frame shows it.
        await Assertions.Expect(frame.Locator("h1")).ToHaveTextAsync("Functionaris gegevensbescherming");
        var framed = page.Frames.Single(f => f.ParentFrame is not null);
        await Accessibility.AssertNoViolationsAsync(framed);
        var accessLog = frame.Locator("#officer-pages").GetByRole(AriaRole.Link, new() { Name = "Inzage-log" });
        await Assertions.Expect(accessLog).ToHaveAccessibleNameAsync("Inzage-log (opent in een nieuw tabblad)");
        var tab = await page.Context.RunAndWaitForPageAsync(() => accessLog.ClickAsync());
        await tab.WaitForPageAsync($"{server.BaseUrl}/arnhem/desk/admin/access-log");
        await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Inzage-log", Level = 1 })).ToBeVisibleAsync();
        await tab.CloseBoundedAsync();
        Assert.Equal(workspace.Origin + "/", page.Url);

        // Not framed: the sign-in lands on the access log, as before.
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await page.WaitForPageAsync($"{server.BaseUrl}/arnhem/desk/admin/access-log");

        // Framed again, in English by the header's switch: the same landing, axe-core clean too.
        await page.GotoAsync(workspace.Origin + "/");
        await frame.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(frame.Locator("h1")).ToHaveTextAsync("Data protection officer");
        await Assertions.Expect(frame.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(frame.Locator("#officer-pages")).ToContainTextAsync("Access log");
        await Accessibility.AssertNoViolationsAsync(page.Frames.Single(f => f.ParentFrame is not null));
    }
}
