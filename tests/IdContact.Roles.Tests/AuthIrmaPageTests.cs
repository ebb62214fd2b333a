using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IdContact.Roles.Tests;

/// <summary>The resident's page, refused input, and the fake IRMA server's own contract.</summary>
public class AuthIrmaPageTests(IrmaFixture fixture) : IClassFixture<IrmaFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task The_page_shows_qr_code_app_link_demo_scan_link_status_and_ways_on_without_script()
    {
        var response = await fixture.PostStartAsync(["fullname", "email"], "https://example.org/back");
        var pageUrl = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        Assert.StartsWith(fixture.Server.BaseUrl + "/arnhem/auth-irma/session?s=", pageUrl);

        var page = await Client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("<h1>Inloggen met Yivi</h1>", html);
        Assert.Contains("Gemeente Arnhem", html);
        Assert.Contains("<li>Volledige naam</li>", html);
        Assert.Matches("<img class=\"qr\" src=\"data:image/png;base64,[^\"]+\"[^>]*alt=\"QR-code[^\"]*\"", html);
        Assert.Contains("href=\"https://irma.app/-/session#%7B%22u%22%3A", html);
        Assert.Contains(">Simuleer scannen (demo)</a>", html);
        Assert.Contains("role=\"status\" aria-live=\"polite\"", html);
        Assert.Contains(">Ik heb de gegevens gedeeld</a>", html);
        Assert.Contains(">Annuleren</button>", html);
        Assert.DoesNotContain("<script>", html); // no inline script: the CSP allows only the served file
        Assert.Contains("<script src=\"/arnhem/auth-irma/assets/irma.js\" defer></script>", html);

        var script = await Client.GetAsync("/arnhem/auth-irma/assets/irma.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("statusUrl", await script.Content.ReadAsStringAsync());
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/idcontact.css?v=", html, StringComparison.Ordinal); // the shared sheet replaced irma.css
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/arnhem/auth-irma/assets/other.js")).StatusCode);

        var english = await Client.GetStringAsync(pageUrl + "&lang=en");
        Assert.Contains("<h1>Sign in with Yivi</h1>", english);
        Assert.Contains(">Simulate scan (demo)</a>", english);
        Assert.Matches("alt=\"QR code[^\"]*\"", english);
    }

    [Fact]
    public async Task The_fake_phone_page_lists_the_requested_attributes_and_shares_back_to_the_resident_page()
    {
        var page = await fixture.StartAsync(["fullname", "email"], "https://example.org/back");
        var phone = await Client.GetStringAsync(page.ScanUrl);
        Assert.Contains(">Gegevens delen</button>", phone);
        var inputs = TestPluginsFixture.Inputs(phone);
        Assert.Equal("Jan de Vries", inputs["attr:pbdf.gemeente.personalData.fullname"]);
        Assert.Equal("jan@example.nl", inputs["attr:pbdf.sidn-pbdf.email.email"]);

        var fields = new Dictionary<string, string>(inputs) { ["outcome"] = "done" };
        var shared = await Client.PostAsync(page.ScanUrl, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.SeeOther, shared.StatusCode);
        Assert.StartsWith("/arnhem/auth-irma/session?s=", shared.Headers.Location?.OriginalString);
        Assert.Contains("\"DONE\"", await Client.GetStringAsync(page.StatusUrl));
        Assert.Contains("Share details", await Client.GetStringAsync(page.ScanUrl.Replace("&lang=nl", "&lang=en", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_fake_phone_sends_back_only_to_a_path_on_this_server()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        var url = page.ScanUrl[..page.ScanUrl.IndexOf('?')];
        var response = await Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["outcome"] = "done",
            ["back"] = "//evil.example/",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task An_unmapped_attribute_is_a_400_problem_and_no_irma_session_is_made()
    {
        var before = fixture.FakeSessions.Count;
        var response = await fixture.PostStartAsync(["fullname", "favourite_colour"], "https://example.org/back");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("favourite_colour", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, fixture.FakeSessions.Count);
    }

    [Theory]
    [InlineData("{\"attributes\":[\"email\"]}")]
    [InlineData("{\"attributes\":[],\"continuation\":\"https://example.org/\"}")]
    [InlineData("{\"attributes\":[\"email\"],\"continuation\":\"javascript:alert(1)\"}")]
    [InlineData("not json")]
    public async Task Malformed_start_requests_are_400_problems(string body)
    {
        var response = await Client.PostAsync("/arnhem/auth-irma/start_authentication", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_missing_or_foreign_link_gives_a_400_page_never_a_500()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        var s = page.Session;
        var tampered = s[..20] + (s[20] == 'A' ? 'B' : 'A') + s[21..];
        foreach (var bad in new[] { tampered, "garbage", "" })
        {
            foreach (var path in new[] { "/arnhem/auth-irma/session?s=", "/arnhem/auth-irma/session/finish?s=" })
            {
                var response = await Client.GetAsync(path + bad);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Contains("Deze link werkt niet meer", await response.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/arnhem/auth-irma/session/status?s=" + bad)).StatusCode);
            foreach (var posted in new[] { "/arnhem/auth-irma/session/cancel", "/arnhem/auth-irma/session/ended" })
            {
                var response = await Client.PostAsync(posted, new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = bad }));
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync(page.Url.Replace("/arnhem/", "/utrecht/", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsJsonAsync("/arnhem/auth-irma/session/cancel", new { s })).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsJsonAsync("/arnhem/auth-irma/session/ended", new { s })).StatusCode);
    }

    [Fact]
    public async Task Asking_how_a_running_session_ended_changes_nothing_and_leads_back_to_its_page()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        var ended = await Client.PostAsync("/arnhem/auth-irma/session/ended?lang=en", new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = page.Session }));
        Assert.Equal(HttpStatusCode.SeeOther, ended.StatusCode);
        Assert.Equal("../session?s=" + page.Session + "&lang=en", ended.Headers.Location!.OriginalString);
        var again = await Client.GetAsync(page.Url);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Inloggen met Yivi", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_fake_irma_server_refuses_an_unknown_requestor_token_like_a_real_one()
    {
        var body = new StringContent("{\"@context\":\"https://irma.app/ld/request/disclosure/v2\",\"disclose\":[[[\"pbdf.pbdf.email.email\"]]]}", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/irma-fake/session") { Content = body };
        request.Headers.TryAddWithoutValidation("Authorization", "not-the-token");
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, error.GetProperty("status").GetInt32());
        Assert.Equal("UNAUTHORIZED", error.GetProperty("error").GetString());
        Assert.True(error.TryGetProperty("description", out _));

        var unknown = await Client.GetAsync("/irma-fake/session/nosuchtoken/result");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("SESSION_UNKNOWN", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_fake_result_has_the_irma_shape()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        await fixture.ScriptAsync(page, "done");
        var session = fixture.FakeSessions.ByClientToken(page.ClientToken)!;
        var result = await Client.GetFromJsonAsync<JsonElement>($"/irma-fake/session/{session.RequestorToken}/result");
        Assert.Equal("DONE", result.GetProperty("status").GetString());
        Assert.Equal("disclosing", result.GetProperty("type").GetString());
        Assert.Equal("VALID", result.GetProperty("proofStatus").GetString());
        var attribute = result.GetProperty("disclosed")[0][0];
        Assert.Equal("pbdf.sidn-pbdf.email.email", attribute.GetProperty("id").GetString());
        Assert.Equal("PRESENT", attribute.GetProperty("status").GetString());
        Assert.Equal("jan@example.nl", attribute.GetProperty("rawvalue").GetString());
        Assert.Equal("jan@example.nl", attribute.GetProperty("value").GetProperty("nl").GetString());
        Assert.True(attribute.GetProperty("issuancetime").GetInt64() > 0);
    }
}
