using IdContact.Desk.Admin;
using IdContact.Desk.Tests;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>The municipality's identity provider button on the sign-in page, in Chromium with axe-core.</summary>
public partial class AgentAdminTests
{
    [Fact]
    public async Task An_agent_presses_the_municipalitys_sign_in_button_by_keyboard_and_lands_on_the_overview()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var server = await ProviderDesk.StartAsync(provider, "Ede-account", "Ede account");
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        // A fresh account with a handed-out password: after the provider the desk does not ask to choose one.
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, "ede", "fenna@ede.example", "Fenna", "201");
        Assert.True(password is not null, string.Join(" ", errors));
        provider.UserName = "Fenna@Ede.example";

        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await page.GotoAsync($"{server.BaseUrl}/ede/desk/login");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Inloggen met Ede-account", Exact = true });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);

        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // Through the provider and back: its first token request and key download take a while on a busy machine.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Binnenkomende contacten", new() { Timeout = 60_000 });

        await page.GotoAsync($"{server.BaseUrl}/ede/desk/login?lang=en");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Ede account", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
    }
}
