using IdContact.Roles.Tests;

namespace IdContact.Desk.Tests;

/// <summary>
/// The resident's chat and video notices speak the language asked for (<c>&lt;html lang&gt;</c> too). Where asking the
/// page's address again shows the same notice, the header offers the other language and keeps the resident there; the
/// end of a chat cannot be asked again without ending it, so it has no switch.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Theory]
    [InlineData("GET /chat/c/{capability}", "/chat/c/AAAA")]
    [InlineData("POST /chat/c/{capability}/end", "/chat/c/AAAA")] // a post's notice: the switch leads to the chat's own page
    [InlineData("GET /video/join/{capability}", "/video/join/AAAA")]
    [InlineData("GET /video/cancel/{capability}", "/video/cancel/AAAA")]
    [InlineData("GET /video/book/{capability}", "/video/book/AAAA")]
    public async Task A_notice_the_same_address_shows_again_switches_language_there(string route, string leadsTo)
    {
        foreach (var english in new[] { false, true })
        {
            var html = await (await OpenResidentPageAsync(route + (english ? "?lang=en" : ""))).Content.ReadAsStringAsync();
            Assert.Contains($"<html lang=\"{(english ? "en" : "nl")}\">", html, StringComparison.Ordinal);

            var href = LanguageSwitchHtml.Href(html, english ? "Nederlands" : "English");
            Assert.Contains(leadsTo, href, StringComparison.Ordinal);
            Assert.EndsWith(english ? "lang=nl" : "lang=en", href, StringComparison.Ordinal);

            var other = await (await desk.Server.Client.GetAsync(href)).Content.ReadAsStringAsync();
            Assert.Contains($"<html lang=\"{(english ? "nl" : "en")}\">", other, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_end_of_a_chat_is_told_in_the_language_asked_for_without_a_switch_that_would_lead_nowhere()
    {
        foreach (var english in new[] { false, true })
        {
            var html = await (await OpenResidentPageAsync("POST /chat/c/{chat}/end" + (english ? "?lang=en" : ""))).Content.ReadAsStringAsync();
            Assert.Contains(english ? "You ended the chat." : "U heeft de chat beëindigd.", html, StringComparison.Ordinal);
            Assert.Contains($"<html lang=\"{(english ? "en" : "nl")}\">", html, StringComparison.Ordinal);
            Assert.DoesNotContain("language-switch", html, StringComparison.Ordinal);
        }
    }
}
