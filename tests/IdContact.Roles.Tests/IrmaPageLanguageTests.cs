using System.Net;

namespace IdContact.Roles.Tests;

/// <summary>
/// The Yivi role's message pages and the fake Yivi app speak the language asked for; where asking the same address again
/// shows the same page (a dead link, a session already finished, the fake app), the header offers the other language.
/// A page whose address would try again or deliver (a failure told, a post's answer) has no switch.
/// </summary>
public class IrmaPageLanguageTests(IrmaFixture fixture) : IClassFixture<IrmaFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_dead_session_link_switches_language_in_place()
    {
        var dutch = await Client.GetAsync("/arnhem/auth-irma/session?s=verlopen");
        Assert.Equal(HttpStatusCode.BadRequest, dutch.StatusCode);
        var html = await dutch.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"nl\">", html, StringComparison.Ordinal);
        var english = await Client.GetAsync(LanguageSwitchHtml.Href(html, "English"));
        var englishHtml = await english.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("<html lang=\"en\">", englishHtml, StringComparison.Ordinal);
        Assert.Contains("s=verlopen", LanguageSwitchHtml.Href(englishHtml, "Nederlands"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_session_says_so_in_either_language_and_a_failure_switches_by_posting_its_session()
    {
        var (attrUrl, _) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["email"], "https://example.org/back", attrUrl);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = page.Session });
        var cancelled = await (await Client.PostAsync(page.CancelUrl, form)).Content.ReadAsStringAsync();
        Assert.Contains("U heeft het delen geannuleerd", cancelled, StringComparison.Ordinal);

        // The switch posts the session to session/ended (no session in an address) and says the same reason.
        Assert.Contains("action=\"/arnhem/auth-irma/session/ended?lang=en\"", cancelled, StringComparison.Ordinal);
        var switched = await (await Client.PostAsync("/arnhem/auth-irma/session/ended?lang=en", form)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", switched, StringComparison.Ordinal);
        Assert.Contains("You cancelled sharing", switched, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/back\"", switched, StringComparison.Ordinal);

        var again = await (await Client.GetAsync(page.FinishUrl)).Content.ReadAsStringAsync();
        Assert.Contains("Deze Yivi-sessie is al afgerond", again, StringComparison.Ordinal);
        var english = await (await Client.GetAsync(LanguageSwitchHtml.Href(again, "English"))).Content.ReadAsStringAsync();
        Assert.Contains("This Yivi session is already finished", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_yivi_app_switches_language_keeping_its_session_and_way_back()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        var dutch = await Client.GetStringAsync(page.ScanUrl);
        Assert.Contains("<html lang=\"nl\">", dutch, StringComparison.Ordinal);
        Assert.Contains("Nep-Yivi-app (demo)", dutch, StringComparison.Ordinal);

        var link = LanguageSwitchHtml.Href(dutch, "English");
        Assert.Contains(page.ClientToken, link, StringComparison.Ordinal);
        Assert.Contains("back=", link, StringComparison.Ordinal);
        var english = await Client.GetStringAsync(link);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Fake Yivi app (demo)", english, StringComparison.Ordinal);
        Assert.Contains("name=\"back\"", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Yivi_page_opened_again_after_the_end_says_whether_details_were_passed_on_and_shows_no_QR_code()
    {
        var cancelledPage = await fixture.StartAsync(["email"], "https://example.org/back", fixture.NewAttrUrl().AttrUrl);
        await Client.PostAsync(cancelledPage.CancelUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = cancelledPage.Session }));
        var back = await Client.GetAsync(cancelledPage.Url);
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        var html = await back.Content.ReadAsStringAsync();
        Assert.Contains("In deze sessie zijn geen gegevens gedeeld", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"qr\"", html, StringComparison.Ordinal);
        var english = await (await Client.GetAsync(LanguageSwitchHtml.Href(html, "English"))).Content.ReadAsStringAsync();
        Assert.Contains("No details were shared in this session", english, StringComparison.Ordinal);

        var sharedPage = await fixture.StartAsync(["email"], "https://example.org/back", fixture.NewAttrUrl().AttrUrl);
        await fixture.ScriptAsync(sharedPage, "done");
        Assert.Equal(HttpStatusCode.SeeOther, (await Client.GetAsync(sharedPage.FinishUrl)).StatusCode);
        var reloaded = await (await Client.GetAsync(sharedPage.Url)).Content.ReadAsStringAsync();
        Assert.Contains("Uw gegevens zijn al doorgegeven aan Gemeente Arnhem", reloaded, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"qr\"", reloaded, StringComparison.Ordinal);
        var replayed = await (await Client.GetAsync(sharedPage.FinishUrl)).Content.ReadAsStringAsync();
        Assert.Contains("Uw gegevens zijn al doorgegeven aan Gemeente Arnhem", replayed, StringComparison.Ordinal);
    }
}
