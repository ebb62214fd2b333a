using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

public class AuthTestRoleTests(TestPluginsFixture fixture) : IClassFixture<TestPluginsFixture>
{
    private HttpClient Client => fixture.Client;

    private string BaseUrl => fixture.Server.BaseUrl;

    [Fact]
    public async Task Start_answers_a_page_of_this_plugin_that_lists_every_requested_attribute()
    {
        var pageUrl = await fixture.StartAuthAsync(["fullname", "birthdate", "bsn", "email", "favourite_colour"], "https://example.org/back");
        Assert.StartsWith(BaseUrl + "/arnhem/auth-test/session?s=", pageUrl);

        var response = await Client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("Gemeente Arnhem", html);
        Assert.Matches("<h1>Testinlog</h1>", html);
        Assert.Contains(">Doorgaan</button>", html);
        Assert.Contains(">Mislukken</button>", html);

        var inputs = TestPluginsFixture.Inputs(html);
        Assert.Equal("Jan de Vries", inputs["attr:fullname"]);
        Assert.Equal("1980-04-01", inputs["attr:birthdate"]);
        Assert.Equal("999993653", inputs["attr:bsn"]);
        Assert.Equal("jan@example.nl", inputs["attr:email"]);
        Assert.Equal("", inputs["attr:favourite_colour"]);
        Assert.True(inputs.ContainsKey("s"));

        // Every visible input has a label that points at it.
        foreach (Match input in Regex.Matches(html, "<input\\b[^>]*type=\"text\"[^>]*>"))
        {
            var id = TestPluginsFixture.Attribute(input.Value, "id");
            Assert.NotNull(id);
            Assert.Contains($"<label for=\"{id}\">", html);
        }
    }

    [Fact]
    public async Task Page_is_in_english_when_asked_for()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back");
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUrl);
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var html = await (await Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(">Continue</button>", html);
        Assert.Contains(">Fail</button>", html);

        var viaQuery = await Client.GetStringAsync(pageUrl + "&lang=en");
        Assert.Contains("<html lang=\"en\">", viaQuery);
    }

    [Fact]
    public async Task Success_with_attr_url_delivers_the_result_server_side_and_redirects_to_the_continuation()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var pageUrl = await fixture.StartAuthAsync(["fullname", "email"], clientUrl, attrUrl);

        var response = await fixture.SubmitAsync(pageUrl, "success", new Dictionary<string, string> { ["fullname"] = "Marie Jansen" });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(clientUrl, response.Headers.Location?.ToString());

        // The comm plugin already has the result: a second delivery is refused.
        var again = await Client.PostAsync(attrUrl, Jwt(fixture.Issue(("fullname", "Someone Else"))));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var landing = WebUtility.HtmlDecode(await Client.GetStringAsync(clientUrl));
        Assert.Contains("data-status=\"success\"", landing);
        Assert.Contains("Marie Jansen", landing);
        Assert.Contains("jan@example.nl", landing);
        Assert.DoesNotContain("Someone Else", landing);
    }

    [Fact]
    public async Task Success_without_attr_url_appends_the_result_to_the_continuation_which_the_landing_page_accepts()
    {
        var (clientUrl, _) = await fixture.StartCommAsync();
        var pageUrl = await fixture.StartAuthAsync(["fullname", "birthdate"], clientUrl);

        var response = await fixture.SubmitAsync(pageUrl, "success");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(clientUrl + "?result=", location);

        var landing = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var html = WebUtility.HtmlDecode(await landing.Content.ReadAsStringAsync());
        Assert.Contains("data-status=\"success\"", html);
        Assert.Contains("Jan de Vries", html);
        Assert.Contains("1980-04-01", html);
    }

    [Fact]
    public async Task Result_is_appended_after_an_existing_query_and_before_the_fragment()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/landing?x=1#top");
        var location = (await fixture.SubmitAsync(pageUrl, "success")).Headers.Location!.ToString();
        Assert.Matches("^https://example\\.org/landing\\?x=1&result=[A-Za-z0-9_.-]+#top$", location);
    }

    [Fact]
    public async Task A_tel_continuation_is_redirected_to_as_it_is()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "tel:+31201234567,,482913");
        var response = await fixture.SubmitAsync(pageUrl, "success");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("tel:+31201234567,,482913", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Fail_delivers_a_failed_result_that_the_comm_page_shows()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var pageUrl = await fixture.StartAuthAsync(["fullname"], clientUrl, attrUrl);

        var response = await fixture.SubmitAsync(pageUrl, "fail");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);

        var landing = await Client.GetStringAsync(clientUrl);
        Assert.Contains("data-status=\"failed\"", landing);
        Assert.Contains("Inloggen is mislukt", landing);
        Assert.DoesNotContain("Jan de Vries", landing);
    }

    [Fact]
    public async Task Markup_typed_as_a_value_is_shown_escaped()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var pageUrl = await fixture.StartAuthAsync(["fullname"], clientUrl, attrUrl);
        await fixture.SubmitAsync(pageUrl, "success", new Dictionary<string, string> { ["fullname"] = "<script>alert(1)</script>" });

        var html = await Client.GetStringAsync(clientUrl);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task Back_and_the_same_button_again_says_the_sign_in_was_already_completed_not_a_status_code()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var pageUrl = await fixture.StartAuthAsync(["fullname"], clientUrl, attrUrl);
        Assert.Equal(HttpStatusCode.SeeOther, (await fixture.SubmitAsync(pageUrl, "success")).StatusCode);

        var again = await fixture.SubmitAsync(pageUrl, "success");
        var html = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Deze inlog was al afgerond", html);
        Assert.Contains("Ga terug naar uw gesprek met de gemeente", html);
        Assert.DoesNotContain("409", html);
    }

    [Fact]
    public async Task A_refusing_attr_url_gives_an_error_page_instead_of_a_redirect()
    {
        // A well-formed attr_url of the comm plugin for a session that does not exist: it answers 404.
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back", BaseUrl + "/arnhem/comm-test/attr/nosuchsession");
        var response = await fixture.SubmitAsync(pageUrl, "success");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("konden niet worden doorgegeven", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_tampered_or_missing_session_parameter_gives_a_friendly_400_page()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back");
        var s = pageUrl[(pageUrl.IndexOf("?s=", StringComparison.Ordinal) + 3)..];
        var tampered = s[..20] + (s[20] == 'A' ? 'B' : 'A') + s[21..];

        foreach (var bad in new[] { tampered, "garbage", "" })
        {
            var response = await Client.GetAsync("/arnhem/auth-test/session?s=" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"nl\">", html);
            Assert.Contains("Deze link werkt niet meer", html);
        }

        var post = await Client.PostAsync("/arnhem/auth-test/session",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = tampered, ["action"] = "success" }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Null(post.Headers.Location);
    }

    [Fact]
    public async Task A_session_link_of_one_municipality_does_not_work_for_another()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back");
        var response = await Client.GetAsync(pageUrl.Replace("/arnhem/", "/utrecht/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_or_non_form_post_is_a_4xx_never_a_500()
    {
        var multipart = new StringContent("garbage", Encoding.UTF8);
        multipart.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=zz");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/arnhem/auth-test/session", multipart)).StatusCode);

        var json = await Client.PostAsJsonAsync("/arnhem/auth-test/session", new { s = "x", action = "success" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task An_unknown_action_is_refused()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back");
        var response = await fixture.SubmitAsync(pageUrl, "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("{\"attributes\":[\"email\"],")]
    [InlineData("[]")]
    [InlineData("{\"attributes\":[],\"continuation\":\"https://example.org/\"}")]
    [InlineData("{\"attributes\":\"email\",\"continuation\":\"https://example.org/\"}")]
    [InlineData("{\"attributes\":[\"e mail\"],\"continuation\":\"https://example.org/\"}")]
    [InlineData("{\"attributes\":[42],\"continuation\":\"https://example.org/\"}")]
    [InlineData("{\"attributes\":[\"email\"]}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"/relative\"}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"javascript:alert(1)\"}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"https://example.org/\\r\\nX: y\"}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"https://example.org/\",\"attr_url\":\"tel:123\"}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"https://example.org/\",\"attr_url\":\"ftp://example.org/\"}")]
    public async Task Malformed_start_requests_are_400_problems(string body)
    {
        var response = await Client.PostAsync("/arnhem/auth-test/start_authentication", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Too_many_attributes_are_refused()
    {
        var attributes = Enumerable.Range(0, 51).Select(i => $"a{i}").ToArray();
        var response = await Client.PostAsJsonAsync("/arnhem/auth-test/start_authentication", new { attributes, continuation = "https://example.org/" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_and_an_oversized_body_413()
    {
        var text = await Client.PostAsync("/arnhem/auth-test/start_authentication",
            new StringContent("{\"attributes\":[\"email\"],\"continuation\":\"https://example.org/\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        var huge = "{\"attributes\":[\"email\"],\"continuation\":\"https://example.org/\",\"x\":\"" + new string('x', 100_000) + "\"}";
        var big = await Client.PostAsync("/arnhem/auth-test/start_authentication", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    [Fact]
    public async Task Unknown_municipality_is_404()
    {
        var response = await Client.PostAsJsonAsync("/nowhere/auth-test/start_authentication", new { attributes = new[] { "email" }, continuation = "https://example.org/" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/nowhere/auth-test/session?s=x")).StatusCode);
    }

    [Fact]
    public async Task Works_for_every_municipality_with_its_own_name()
    {
        var pageUrl = await fixture.StartAuthAsync(["email"], "https://example.org/back", tenant: "utrecht");
        Assert.StartsWith(BaseUrl + "/utrecht/auth-test/session?s=", pageUrl);
        Assert.Contains("Gemeente Utrecht", await Client.GetStringAsync(pageUrl));
    }

    private static StringContent Jwt(string token)
    {
        var content = new StringContent(token, Encoding.ASCII, "application/jwt");
        content.Headers.ContentType!.CharSet = null;
        return content;
    }
}
