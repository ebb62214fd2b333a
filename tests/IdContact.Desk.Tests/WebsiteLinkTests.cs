using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>A resident's last page leads back to the municipality's own website (Branding:WebsiteUrl), never a dead end.</summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    /// <summary>The pages that end a resident's path: the ended and unknown chat, the video link notices, the cancel
    /// confirmation, the web code's end.</summary>
    [Theory]
    [InlineData("POST /chat/c/{chat}/end")]
    [InlineData("GET /chat/c/{capability}")]
    [InlineData("GET /video/join/{capability}")]
    [InlineData("GET /video/cancel/{capability}")]
    [InlineData("GET /video/cancel/{cancel}")]
    [InlineData("GET /id/done/{capability}")]
    public async Task An_end_page_links_back_to_the_municipalitys_website_after_its_message_and_only_with_the_setting(string route)
    {
        foreach (var english in new[] { false, true })
        {
            var html = await (await OpenResidentPageAsync(route + (english ? "?lang=en" : ""))).Content.ReadAsStringAsync();

            var link = WebsiteLink().Match(html);
            Assert.True(link.Success, $"{route} {english}: {html}");
            Assert.Equal("https://www.gemeente-a.example/contact?via=idcontact&amp;x=1", link.Groups["href"].Value);
            Assert.Matches(english ? @"^Back to the Gemeente (\+|&#x2B;)31201111111 website$" : @"^Terug naar de website van Gemeente (\+|&#x2B;)31201111111$", link.Groups["text"].Value);
            Assert.DoesNotContain("hidden", link.Value, StringComparison.Ordinal);
            Assert.True(html.IndexOf("</h1>", StringComparison.Ordinal) < link.Index, route); // after the message

            // Tenant B has no website setting: the same page, no link.
            var without = await (await OpenResidentPageAsync(route + (english ? "?lang=en" : ""), desk.TenantB)).Content.ReadAsStringAsync();
            Assert.Contains("</h1>", without, StringComparison.Ordinal);
            Assert.DoesNotContain("website-link", without, StringComparison.Ordinal);
        }
    }

    /// <summary>A sign-in that could not start offers a retry and, after it, the way back to the website.</summary>
    [Fact]
    public async Task A_sign_in_that_could_not_start_offers_the_retry_and_the_way_back_to_the_website()
    {
        // The web code page: no sign-in method chosen.
        var webCode = await OpenResidentPageAsync("POST /id/start");
        Assert.Equal(HttpStatusCode.BadRequest, webCode.StatusCode);
        AssertRetryThenWebsite(await webCode.Content.ReadAsStringAsync(), "De code opnieuw invullen");

        // The chat: the agent asked for identification and the core refuses the start.
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var chats = desk.Server.App.Services.GetRequiredService<ChatStore>();
        await chats.AddEventAsync(desk.TenantA, attrUrl.Split('/')[^1], ChatKinds.IdentifyRequested, "Eva", CancellationToken.None);
        desk.Core.Refuse = true;
        try
        {
            var chat = await desk.Server.Client.PostAsync(clientUrl + "/identify", new FormUrlEncodedContent([new("auth_method", "test")]));
            Assert.Equal(HttpStatusCode.BadGateway, chat.StatusCode);
            AssertRetryThenWebsite(await chat.Content.ReadAsStringAsync(), "Terug naar de chat");
        }
        finally
        {
            desk.Core.Refuse = false;
        }
    }

    private static void AssertRetryThenWebsite(string html, string retry)
    {
        var link = WebsiteLink().Match(html);
        Assert.True(link.Success, html);
        Assert.Equal("https://www.gemeente-a.example/contact?via=idcontact&amp;x=1", link.Groups["href"].Value);
        Assert.DoesNotContain("hidden", link.Value, StringComparison.Ordinal);
        var retryAt = html.IndexOf(retry, StringComparison.Ordinal);
        Assert.True(retryAt > 0 && retryAt < link.Index, html);
    }

    /// <summary>A live chat or call ends by script: the link is on the page, hidden until then; a form page has none.</summary>
    [Fact]
    public async Task A_live_page_holds_the_link_hidden_and_a_form_page_has_none()
    {
        // The live chat's page is the Chromium test's (ResidentChatPhoneTests): here nobody takes a chat, so it is a notice.
        var call = await (await OpenResidentPageAsync("GET /video/join/{join}")).Content.ReadAsStringAsync();
        Assert.Contains("<p class=\"idc-website\" id=\"website-link\" hidden>", call, StringComparison.Ordinal);

        foreach (var route in new[] { "GET /id", "GET /video/book/{booking}", "GET /chat/new?purpose=report_move" })
        {
            var response = await OpenResidentPageAsync(route);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("website-link", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<p class=\"idc-website\" id=\"website-link\"[^>]*><a class=\"utrecht-link utrecht-link--html-a\" href=\"(?<href>[^\"]*)\">(?<text>[^<]*)</a></p>")]
    private static partial Regex WebsiteLink();
}
