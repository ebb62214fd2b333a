using IdContact.Comm.Test;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Comm.Test.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Options;

namespace IdContact.Roles.Tests;

public class CommTestRoleTests(TestPluginsFixture fixture) : IClassFixture<TestPluginsFixture>
{
    private HttpClient Client => fixture.Client;

    private string BaseUrl => fixture.Server.BaseUrl;

    [Fact]
    public async Task Start_answers_a_session_page_and_an_attr_url_with_a_128_bit_id()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        Assert.Matches($"^{BaseUrl}/arnhem/comm-test/session/[A-Za-z0-9_-]{{22}}$", clientUrl);
        var id = clientUrl[(clientUrl.LastIndexOf('/') + 1)..];
        Assert.Equal($"{BaseUrl}/arnhem/comm-test/attr/{id}", attrUrl);

        var (other, _) = await fixture.StartCommAsync();
        Assert.NotEqual(clientUrl, other);
    }

    [Fact]
    public async Task Before_any_result_the_page_says_nothing_arrived_and_offers_a_reload()
    {
        var (clientUrl, _) = await fixture.StartCommAsync(purpose: "request_passport");
        var response = await Client.GetAsync(clientUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("<h1>Testgesprek</h1>", html);
        Assert.Contains("Gemeente Arnhem", html);
        Assert.Contains("Paspoort aanvragen", html);
        Assert.Contains("Nog geen gegevens ontvangen", html);
        var id = clientUrl[(clientUrl.LastIndexOf('/') + 1)..];
        Assert.Contains($"<a href=\"{id}?lang=nl\">Opnieuw kijken</a>", html);

        var english = WebUtility.HtmlDecode(await Client.GetStringAsync(clientUrl + "?lang=en"));
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Apply for a passport", english);
        Assert.Contains("No details received yet", english);
    }

    [Fact]
    public async Task Auth_result_at_start_is_verified_and_shown()
    {
        var token = fixture.Issue(("fullname", "Piet Puk"), ("email", "piet@example.nl"));
        var (clientUrl, _) = await fixture.StartCommAsync(authResult: token);
        var html = WebUtility.HtmlDecode(await Client.GetStringAsync(clientUrl));
        Assert.Contains("data-status=\"success\"", html);
        Assert.Contains("Piet Puk", html);
        Assert.Contains("piet@example.nl", html);
        Assert.Contains("Verhuizing doorgeven", html);
    }

    [Fact]
    public async Task An_invalid_auth_result_at_start_is_a_400_problem_with_the_reason()
    {
        var response = await Client.PostAsJsonAsync("/arnhem/comm-test/start_communication", new { purpose = "report_move", auth_result = "not.a.token" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("compact JWE", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Attr_url_accepts_one_valid_token_then_refuses_a_second_with_409()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var first = await Client.PostAsync(attrUrl, Jwt(fixture.Issue(("email", "first@example.nl"))));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await Client.PostAsync(attrUrl, Jwt(fixture.Issue(("email", "second@example.nl"))));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        var html = await Client.GetStringAsync(clientUrl);
        Assert.Contains("first@example.nl", html);
        Assert.DoesNotContain("second@example.nl", html);
    }

    [Fact]
    public async Task Attr_url_takes_only_application_jwt()
    {
        var (_, attrUrl) = await fixture.StartCommAsync();
        var token = fixture.Issue(("email", "a@example.nl"));
        var response = await Client.PostAsync(attrUrl, new StringContent(token, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var json = await Client.PostAsync(attrUrl, JsonContent.Create(token));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        // The session is still free for a proper delivery.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync(attrUrl, Jwt(token))).StatusCode);
    }

    [Fact]
    public async Task Attr_url_refuses_bad_tokens_with_the_reason()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var stranger = PrivateKey.Generate(KeyType.Rsa);
        var cases = new Dictionary<string, string>
        {
            ["garbage"] = "compact JWE",
            [fixture.Issue(AuthResult.Succeeded(new Dictionary<string, string> { ["email"] = "x" }), DateTimeOffset.UtcNow.AddMinutes(-10))] = "expired",
            [fixture.Issue(AuthResult.Succeeded(new Dictionary<string, string> { ["email"] = "x" }), signer: stranger)] = "signature",
            [AuthResultToken.Issue(AuthResult.Failure(), fixture.AuthSigningKey, stranger.PublicKey, DateTimeOffset.UtcNow)] = "decrypted",
        };
        foreach (var (token, reason) in cases)
        {
            var response = await Client.PostAsync(attrUrl, Jwt(token));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(reason, problem.GetProperty("detail").GetString());
        }

        Assert.Contains("Nog geen gegevens ontvangen", await Client.GetStringAsync(clientUrl));
    }

    [Fact]
    public async Task Attr_url_refuses_an_oversized_token_and_an_unknown_session()
    {
        var (_, attrUrl) = await fixture.StartCommAsync();
        var huge = await Client.PostAsync(attrUrl, Jwt(new string('a', 70_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        var unknown = await Client.PostAsync("/arnhem/comm-test/attr/AAAAAAAAAAAAAAAAAAAAAA", Jwt(fixture.Issue(("email", "a@example.nl"))));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Landing_page_accepts_a_result_once()
    {
        var (clientUrl, _) = await fixture.StartCommAsync();
        var token = fixture.Issue(("fullname", "Landing Lena"));
        var first = await Client.GetAsync(clientUrl + "?result=" + token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Landing Lena", await first.Content.ReadAsStringAsync());

        // A reload of the same URL shows the page again; another result is refused.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(clientUrl + "?result=" + token)).StatusCode);
        var other = await Client.GetAsync(clientUrl + "?result=" + fixture.Issue(("fullname", "Other Otto")));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("Er is al een resultaat ontvangen", await other.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Other Otto", await Client.GetStringAsync(clientUrl));
    }

    [Fact]
    public async Task Landing_page_refuses_a_bad_result_and_says_why()
    {
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        var response = await Client.GetAsync(clientUrl + "?result=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Het resultaat is geweigerd", html);
        Assert.Contains("compact JWE", html);

        // Nothing was stored: a valid delivery still works.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync(attrUrl, Jwt(fixture.Issue(("email", "a@example.nl"))))).StatusCode);
    }

    [Fact]
    public async Task Attribute_values_are_html_escaped()
    {
        var (clientUrl, _) = await fixture.StartCommAsync(authResult: fixture.Issue(("fullname", "<script>alert(1)</script>"), ("<b>tag</b>", "x")));
        var html = await Client.GetStringAsync(clientUrl);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<b>tag</b>", html);
    }

    [Fact]
    public async Task Unknown_sessions_and_other_municipalities_get_404()
    {
        var unknown = await Client.GetAsync("/arnhem/comm-test/session/AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Gesprek niet gevonden", await unknown.Content.ReadAsStringAsync());

        // A session of Arnhem does not exist under Utrecht.
        var (clientUrl, attrUrl) = await fixture.StartCommAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(clientUrl.Replace("/arnhem/", "/utrecht/", StringComparison.Ordinal))).StatusCode);
        var token = fixture.Issue(("email", "a@example.nl"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync(attrUrl.Replace("/arnhem/", "/utrecht/", StringComparison.Ordinal), Jwt(token))).StatusCode);

        var noTenant = await Client.PostAsJsonAsync("/nowhere/comm-test/start_communication", new { purpose = "report_move" });
        Assert.Equal(HttpStatusCode.NotFound, noTenant.StatusCode);
    }

    [Theory]
    [InlineData("{\"purpose\":")]
    [InlineData("\"report_move\"")]
    [InlineData("{}")]
    [InlineData("{\"purpose\":\"\"}")]
    [InlineData("{\"purpose\":42}")]
    [InlineData("{\"purpose\":\"report_move\",\"auth_result\":42}")]
    public async Task Malformed_start_requests_are_400_problems(string body)
    {
        var response = await Client.PostAsync("/arnhem/comm-test/start_communication", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_takes_only_json()
    {
        var response = await Client.PostAsync("/arnhem/comm-test/start_communication", new StringContent("purpose=report_move", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public void Sessions_expire_after_the_configured_lifetime()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2030-01-01T12:00:00Z"));
        var settings = new IdContactOptions();
        settings.CommTest().SessionLifetimeMinutes = 30;
        var options = Options.Create(settings);
        var store = new CommSessionStore(options, clock);
        var session = store.Create("arnhem", "report_move")!;

        clock.Now += TimeSpan.FromMinutes(29);
        Assert.Same(session, store.Find("arnhem", session.Id));
        Assert.Null(store.Find("utrecht", session.Id));

        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Null(store.Find("arnhem", session.Id));
    }

    [Fact]
    public void A_session_takes_one_result_only()
    {
        var session = new CommSession("arnhem", "id", "report_move", DateTimeOffset.MaxValue);
        Assert.True(session.TryAttach("first", AuthStatus.Success));
        Assert.False(session.TryAttach("second", AuthStatus.Failed));
        Assert.Equal("first", session.Result?.Token);
    }

    private static StringContent Jwt(string token)
    {
        var content = new StringContent(token, Encoding.ASCII, "application/jwt");
        content.Headers.ContentType!.CharSet = null;
        return content;
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
