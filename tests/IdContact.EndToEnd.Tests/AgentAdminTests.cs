using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Administrator_creates_resets_sets_extension_and_deletes_an_agent()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "beheer");

        await page.GetByRole(AriaRole.Link, new() { Name = "Medewerkers beheren" }).ClickAsync();
        await page.GetByLabel("Gebruikersnaam").FillAsync("bert");
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync("Bert <i>Bakker</i>");
        await page.GetByLabel("Toestelnummer softphone").FillAsync("202");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        var first = await page.Locator("#one-time-password").InnerTextAsync();
        Assert.True(first.Length >= 12);
        var row = page.Locator("tr[data-agent='bert']");
        await Assertions.Expect(row).ToContainTextAsync("Bert <i>Bakker</i>");
        Assert.Equal(0, await row.Locator("i").CountAsync());

        await row.GetByRole(AriaRole.Button, new() { Name = "Wachtwoord herstellen van bert" }).ClickAsync();
        var second = await page.Locator("#one-time-password").InnerTextAsync();
        Assert.NotEqual(first, second);
        // The result has the focus. Post/Redirect/Get: the browser is on the admin page itself, and a reload shows the
        // password no more and resets nothing (the sign-in below proves `second` still holds).
        await Assertions.Expect(page.Locator("#admin-notice")).ToBeFocusedAsync();
        Assert.Equal("/arnhem/desk/admin", new Uri(page.Url).AbsolutePath);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#one-time-password")).ToHaveCountAsync(0);

        // The new agent can sign in with the reset password only.
        var bert = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await SignIn(bert, server, "arnhem", "bert", first);
        await Assertions.Expect(bert.Locator("#login-error")).ToContainTextAsync("wachtwoord onjuist");
        await SignIn(bert, server, "arnhem", "bert", second);
        await Assertions.Expect(bert.Locator("h1")).ToHaveTextAsync("Kies een nieuw wachtwoord");

        await row.GetByLabel("Toestel van bert").FillAsync("305");
        await row.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-agent='bert'] input[name=extension]")).ToHaveValueAsync("305");

        page.Dialog += (_, dialog) => dialog.AcceptAsync(); // deleting asks first (Deleting_an_account_asks_first…)
        await page.Locator("tr[data-agent='bert']").GetByRole(AriaRole.Button, new() { Name = "Verwijder bert" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-agent='bert']")).ToHaveCountAsync(0);

        // Every action is listed with who did it to whom, and no password.
        var audit = page.Locator("#admin-audit");
        foreach (var action in new[] { "aangemaakt", "wachtwoord hersteld", "toestel ingesteld op 305", "verwijderd" })
        {
            await Assertions.Expect(audit.Locator("tr", new() { HasText = action })).ToContainTextAsync("beheer");
        }

        Assert.DoesNotContain(second, await audit.InnerTextAsync());
    }

    [Fact]
    public async Task The_admin_page_says_what_an_agent_still_holds_before_the_delete_and_what_went_back_after_accessibly()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "beheer-vertrek");
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin");
        await page.GetByLabel("Gebruikersnaam").FillAsync("vera");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();

        // Vera holds a chat a resident is waiting in.
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        Agent vera;
        await using (var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem"))
        {
            vera = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "vera");
        }

        var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
        await chats.EnqueueAsync("arnhem", chat.Id, CancellationToken.None);
        await chats.SetAvailableAsync("arnhem", vera.Id, true, CancellationToken.None);
        Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync("arnhem", chat.Id, vera, CancellationToken.None));

        // Before: the warning is on the row and is the delete button's description for screen readers.
        await page.ReloadAsync();
        var delete = page.Locator("tr[data-agent='vera']").GetByRole(AriaRole.Button, new() { Name = "Verwijder vera" });
        const string warning = "Heeft nog 1 chat; bij verwijderen gaan die terug naar de wachtrij of naar een beschikbare collega.";
        await Assertions.Expect(page.Locator("tr[data-agent='vera'] .held")).ToHaveTextAsync(warning);
        await Assertions.Expect(delete).ToHaveAccessibleDescriptionAsync(warning);
        await Accessibility.AssertNoViolationsAsync(page);

        // Pressed from the keyboard, the question says the same and is accepted; after: the notice says what went back, and
        // the chat waits in the queue again.
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await delete.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#admin-notice")).ToHaveTextAsync("Verwijderd: vera. Teruggegeven, weer zichtbaar voor alle medewerkers: 1 chat.");
        await Assertions.Expect(page.Locator("tr[data-agent='vera']")).ToHaveCountAsync(0);
        Assert.Equal("Het account van vera verwijderen? Dit kan niet ongedaan worden gemaakt. " + warning, asked);
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Equal((ContactState.Queued, null), await chats.FindAsync("arnhem", chat.Id, CancellationToken.None) is { } after ? (after.State, after.AgentId) : default);

        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin?lang=en");
        await Assertions.Expect(page.Locator("#admin-audit tr", new() { HasText = "deleted" })).ToContainTextAsync("vera");
        await Accessibility.AssertNoViolationsAsync(page);
    }

    [Fact]
    public async Task Deleting_an_account_asks_first_and_a_no_keeps_it()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "beheer-vraag");
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin");
        await page.GetByLabel("Gebruikersnaam").FillAsync("bert");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        var row = page.Locator("tr[data-agent='bert']");

        // A slip of the mouse: the question names the account and is answered no; nothing is deleted.
        var questions = new List<string>();
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            questions.Add(dialog.Message);
            await (accept ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        await row.GetByRole(AriaRole.Button, new() { Name = "Verwijder bert" }).ClickAsync();
        for (var i = 0; i < 100 && questions.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(["Het account van bert verwijderen? Dit kan niet ongedaan worden gemaakt."], questions);
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // In English the question is English; yes deletes.
        await page.GotoAsync(server.BaseUrl + "/arnhem/desk/admin?lang=en");
        accept = true;
        await page.Locator("tr[data-agent='bert']").GetByRole(AriaRole.Button, new() { Name = "Delete bert" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-agent='bert']")).ToHaveCountAsync(0);
        Assert.Equal("Delete the account of bert? This cannot be undone.", questions[^1]);
    }

    [Fact]
    public async Task An_agent_of_one_municipality_cannot_reach_another_by_any_url()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "anna");

        // Utrecht's pages do not accept Arnhem's sign-in.
        await page.GotoAsync(server.BaseUrl + "/utrecht/desk");
        Assert.Contains("/utrecht/desk/login", page.Url);
        Assert.Equal(401, (await page.APIRequest.GetAsync(server.BaseUrl + "/utrecht/desk/contacts")).Status);
        await page.GotoAsync(server.BaseUrl + "/utrecht/desk/admin");
        Assert.Contains("/utrecht/desk/login", page.Url);
        Assert.Equal(404, (await page.APIRequest.GetAsync(server.BaseUrl + "/atlantis/desk")).Status);

        // Even when Arnhem's cookie is replayed by hand under other URLs it opens nothing there (a made-up municipality
        // is not found at all).
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "idcontact.desk");
        Assert.Equal("/arnhem/desk", cookie.Path);
        foreach (var (path, expected) in new[] { ("/utrecht/desk/contacts", 401), ("/atlantis/desk/contacts", 404), ("/utrecht/desk/admin", 302) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            Assert.Equal(expected, (int)(await server.Client.SendAsync(request)).StatusCode);
        }

        // Arnhem's own pages still work, with no-store caching.
        var own = await page.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/contacts");
        Assert.Equal(200, own.Status);
        Assert.Contains("no-store", own.Headers["cache-control"]);
    }

    [Fact]
    public async Task Agent_without_admin_role_cannot_open_admin_pages_and_lockout_stops_guessing()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await SignInNewAdmin(server, "arnhem", "admin1");
        await admin.GotoAsync(server.BaseUrl + "/arnhem/desk/admin");
        await admin.GetByLabel("Gebruikersnaam").FillAsync("carla");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Aanmaken" }).ClickAsync();
        var password = await admin.Locator("#one-time-password").InnerTextAsync();

        var carla = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        for (var i = 0; i < 5; i++)
        {
            await SignIn(carla, server, "arnhem", "carla", "wrong-password-" + i);
        }

        await SignIn(carla, server, "arnhem", "carla", password);
        await Assertions.Expect(carla.Locator("#login-error")).ToContainTextAsync("geblokkeerd");

        // After the administrator resets the password, carla gets in, but not into the admin pages.
        await admin.Locator("tr[data-agent='carla']").GetByRole(AriaRole.Button, new() { Name = "Wachtwoord herstellen van carla" }).ClickAsync();
        var reset = await admin.Locator("#one-time-password").InnerTextAsync();
        await SignIn(carla, server, "arnhem", "carla", reset);
        await ChooseOwnPassword(carla, reset);
        Assert.Equal(403, (await carla.APIRequest.GetAsync(server.BaseUrl + "/arnhem/desk/admin")).Status);
    }

    [Fact]
    public async Task Agent_turns_on_two_step_verification_and_then_needs_the_code()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await SignInNewAdmin(server, "arnhem", "dirk");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mijn account", Exact = true }).ClickAsync();
        var key = await page.Locator("#totp-key").InnerTextAsync();
        await page.GetByLabel("Code uit de app").FillAsync("000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanzetten" }).ClickAsync();
        await Assertions.Expect(page.Locator("#account-message")).ToContainTextAsync("klopt niet");
        var code = Totp.Code(key, DateTimeOffset.UtcNow);
        await page.GetByLabel("Code uit de app").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanzetten" }).ClickAsync();
        await Assertions.Expect(page.Locator("#totp-state")).ToContainTextAsync("staat aan");

        // The code that turned it on is used up; the authenticator's next one works.
        var again = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await SignIn(again, server, "arnhem", "dirk", "mijn-eigen-wachtwoord-2026");
        await again.GetByLabel("Code uit uw authenticator-app").FillAsync(code);
        await again.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await Assertions.Expect(again.Locator("#login-error")).ToContainTextAsync("klopt niet");
        await again.GetByLabel("Code uit uw authenticator-app").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await again.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await Assertions.Expect(again.Locator("h1")).ToHaveTextAsync("Binnenkomende contacten");
    }

    private async Task<IPage> SignInNewAdmin(RunningServer server, string tenant, string user)
    {
        var options = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, errors) = await AdminBootstrap.CreateAdminAsync(options, tenant, user, user, "201");
        Assert.True(password is not null, string.Join(" ", errors));
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await SignIn(page, server, tenant, user, password!);
        await ChooseOwnPassword(page, password!);
        return page;
    }

    internal static async Task SignIn(IPage page, RunningServer server, string tenant, string user, string password)
    {
        await page.GotoAsync($"{server.BaseUrl}/{tenant}/desk/login");
        await page.GetByLabel("Gebruikersnaam").FillAsync(user);
        await page.GetByLabel("Wachtwoord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
    }

    /// <param name="landing">The heading of the page the account starts on (an officer's is the access log).</param>
    internal static async Task ChooseOwnPassword(IPage page, string current, string landing = "Binnenkomende contacten")
    {
        await page.GetByLabel("Huidig wachtwoord").FillAsync(current);
        await page.GetByLabel("Nieuw wachtwoord").FillAsync("mijn-eigen-wachtwoord-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(landing);
    }
}
