using System.Net;
using IdContact.Hosting;

namespace IdContact.Desk.Tests;

/// <summary>A staff member's language choice (?lang on a desk page) is remembered in a cookie under the tenant's desk path.</summary>
public class DeskLanguageTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    private const string Cookie = LanguageExtensions.CookieName;

    [Fact]
    public async Task English_chosen_before_sign_in_holds_after_form_posts_without_lang_until_Dutch_is_chosen()
    {
        var tenant = desk.TenantA;
        await DeskAgent.CreateAsync(desk.Databases, tenant, "lang-choice");
        using var browser = DutchBrowser(tenant);

        // The switch on the sign-in page: English, remembered under this tenant's desk pages only, for a year.
        var login = await browser.GetAsync("/desk/login?lang=en");
        Assert.Contains("Sign in", await login.Content.ReadAsStringAsync());
        var written = SetCookie(login);
        Assert.StartsWith($"{Cookie}=en;", written, StringComparison.Ordinal);
        Assert.Contains($"path=/{tenant}/desk", written, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", written, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", written, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", written, StringComparison.OrdinalIgnoreCase); // the demo over http; ProductionModeTests has https
        Assert.Equal([$"/{tenant}/desk"], browser.Cookies.Where(c => c.Name == Cookie).Select(c => c.Path));

        // A form post without ?lang answers in English: a wrong password, then sign-in and the availability switch.
        var wrong = await browser.SignInAsync("lang-choice", "not-the-password-at-all");
        Assert.Contains("User name or password is not correct", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("lang-choice")).StatusCode);
        var available = await browser.PostAsync("/desk", "/desk/availability", ("available", "true"));
        Assert.Equal(HttpStatusCode.SeeOther, available.StatusCode);
        var overview = await browser.ReadAsync("/desk");
        Assert.Contains("You are available for chats.", overview);
        Assert.Contains("<html lang=\"en\">", overview);

        // A page that answers the post itself: the two-step form with a wrong code.
        var totp = await browser.PostAsync("/desk/account", "/desk/account/totp", ("code", "000000x"));
        Assert.Contains("The code is not correct; try the next one.", await totp.Content.ReadAsStringAsync());

        // Back to Dutch with the switch, and posts follow.
        Assert.Contains("Binnenkomende contacten", await browser.ReadAsync("/desk?lang=nl"));
        Assert.Equal("nl", browser.Cookies.Single(c => c.Name == Cookie).Value);
        var dutch = await browser.PostAsync("/desk/account", "/desk/account/totp", ("code", "000000x"));
        Assert.Contains("De code klopt niet; probeer de volgende.", await dutch.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_choice_stays_with_its_own_tenants_desk_and_other_values_are_neither_written_nor_read()
    {
        using var browser = DutchBrowser(desk.TenantA);
        Assert.Contains("Sign in", await browser.ReadAsync("/desk/login?lang=en"));

        // Another municipality's desk on the same server, and a resident's page, do not get it.
        Assert.Contains("Inloggen", await browser.Client.GetStringAsync($"/{desk.TenantB}/desk/login"));
        Assert.DoesNotContain(browser.Cookies, c => c.Name == Cookie && c.Path != $"/{desk.TenantA}/desk");

        // Only nl and en are remembered; an unknown municipality gets nothing.
        using var other = DutchBrowser(desk.TenantA);
        foreach (var path in new[] { $"/{desk.TenantA}/desk/login?lang=fr", $"/{desk.TenantA}/desk/login?lang=en-GB", "/no-such-town/desk/login?lang=en" })
        {
            var response = await other.Client.GetAsync(path);
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(Cookie + "=", StringComparison.Ordinal)), path);
        }

        // A cookie with anything else is ignored: the browser's language decides.
        foreach (var bogus in new[] { "fr", "EN", "en-GB", "english", "" })
        {
            Assert.Contains("Inloggen", await PageWithCookieAsync(bogus, "nl-NL,nl;q=0.9"));
            Assert.Contains("Sign in", await PageWithCookieAsync(bogus, "en-GB,en;q=0.9"));
        }

        Assert.Contains("Sign in", await PageWithCookieAsync("en", "nl-NL,nl;q=0.9"));
        Assert.Contains("Inloggen", await PageWithCookieAsync("nl", "en-GB,en;q=0.9"));
    }

    [Fact]
    public async Task Switching_language_on_a_failed_sign_in_keeps_the_page_to_return_to()
    {
        var tenant = desk.TenantA;
        await DeskAgent.CreateAsync(desk.Databases, tenant, "lang-return");
        using var browser = DutchBrowser(tenant);
        var returnUrl = $"/{tenant}/desk/appointments?call=abc";

        // The sign-in page as the desk sends an agent there, then a wrong password posted from it.
        Assert.Contains(LanguageLink(tenant, returnUrl, "en"), await browser.ReadAsync($"/desk/login?returnUrl={Uri.EscapeDataString(returnUrl)}"));
        var wrong = await browser.PostAsync($"/desk/login?returnUrl={Uri.EscapeDataString(returnUrl)}", "/desk/login",
            ("userName", "lang-return"), ("password", "not-the-password-at-all"), ("returnUrl", returnUrl));
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("Gebruikersnaam of wachtwoord onjuist", page);
        Assert.Contains(LanguageLink(tenant, returnUrl, "en"), page);

        // Following the switch, then signing in, lands on the page asked for, in English.
        var english = await browser.ReadAsync(System.Net.WebUtility.HtmlDecode(LanguageLink(tenant, returnUrl, "en")).Replace($"/{tenant}", "", StringComparison.Ordinal));
        Assert.Contains("Sign in", english);
        var signedIn = await browser.PostAsync("/desk/login?lang=en", "/desk/login", ("userName", "lang-return"), ("password", DeskAgent.Password), ("returnUrl", returnUrl));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(returnUrl, signedIn.Headers.Location?.OriginalString);
    }

    /// <summary>The switch's address on the sign-in page, as rendered (HTML-encoded).</summary>
    private static string LanguageLink(string tenant, string returnUrl, string lang) =>
        System.Net.WebUtility.HtmlEncode($"/{tenant}/desk/login?returnUrl={Uri.EscapeDataString(returnUrl)}&lang={lang}");

    /// <summary>A browser set to Dutch, as most of the municipality's are.</summary>
    private DeskAgent DutchBrowser(string tenant)
    {
        var browser = DeskAgent.For(desk, tenant);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-NL,nl;q=0.9,en;q=0.8");
        return browser;
    }

    /// <summary>The sign-in page for a browser sending this language cookie by hand (a client without a cookie jar).</summary>
    private async Task<string> PageWithCookieAsync(string value, string acceptLanguage)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(desk.Server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{desk.TenantA}/desk/login");
        request.Headers.Add("Cookie", $"{Cookie}={value}");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
    }

    private static string SetCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Cookie + "=", StringComparison.Ordinal));
}
