using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IdContact.Roles.Tests;

/// <summary>The core authenticates itself to plugins, sends residents only to web pages or the dialer, and blames the right party.</summary>
public class CorePluginTrustTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    [Fact]
    public async Task The_core_sends_a_methods_key_as_bearer_and_no_key_where_none_is_configured()
    {
        fixture.ClearCalls();
        Assert.Equal(HttpStatusCode.OK, (await fixture.StartJsonAsync(new { purpose = "report_move", auth_method = "keyed", comm_method = "phone" })).StatusCode);
        Assert.Equal(("/auth/start_authentication", "Bearer " + CoreFixture.RecorderKey), fixture.Plugin.Authorizations.Last());
        Assert.Equal(("/phone/start_communication", ""), fixture.Plugin.Authorizations.First());
    }

    [Fact]
    public async Task A_javascript_client_url_from_a_plugin_never_reaches_the_resident()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/testville/start")
        {
            Content = JsonContent.Create(new { purpose = "report_move", auth_method = "script", comm_method = "phone" }),
        };
        var response = await fixture.Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("javascript", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_comm_plugins_attr_url_that_no_call_can_reach_is_a_502_never_a_500_and_starts_no_sign_in()
    {
        // Comm-only with the result after the start: the core would post the resident's token to file:///etc/passwd.
        fixture.ClearCalls();
        var commOnly = await fixture.StartJsonAsync(new { purpose = "report_move", comm_method = "badattr", auth_result = "tok.en" });
        Assert.Equal(HttpStatusCode.BadGateway, commOnly.StatusCode);
        Assert.Equal("application/problem+json", commOnly.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("passwd", await commOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Full start through the tel: shim: the phone page would ask its status there, the auth plugin post there.
        fixture.ClearCalls();
        var full = await fixture.StartJsonAsync(new { purpose = "report_move", auth_method = "recorded", comm_method = "badattr" });
        Assert.Equal(HttpStatusCode.BadGateway, full.StatusCode);
        Assert.DoesNotContain(fixture.Plugin.Paths, p => p.StartsWith("/auth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plugin_answering_in_a_charset_that_cannot_be_decoded_is_a_502_or_its_refusal_never_a_500()
    {
        // A sign-in start answered as JSON in charset=utf-7.
        var start = await fixture.StartJsonAsync(new { purpose = "report_move", auth_method = "charset", comm_method = "phone" });
        Assert.Equal(HttpStatusCode.BadGateway, start.StatusCode);
        Assert.Contains("plugin of auth method 'charset'", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The resident's own result refused with a problem in an unknown charset: still the refusal, with the fixed reason.
        var refused = await fixture.StartJsonAsync(new { purpose = "report_move", comm_method = "charset", auth_result = "not.a.token" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Auth result refused", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_comm_plugin_refusing_the_residents_own_auth_result_is_a_400_with_its_reason()
    {
        var response = await fixture.StartJsonAsync(new { purpose = "report_move", comm_method = "refusing", auth_result = "not.a.token" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Auth result refused", problem.GetProperty("title").GetString());
        Assert.Contains("The token has expired.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_own_comm_plugin_refusing_a_garbage_auth_result_is_a_400_not_a_502()
    {
        var response = await fixture.StartJsonAsync(new { purpose = "report_move", comm_method = "test", auth_result = "not.a.token" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JWE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_link_of_one_municipality_is_invalid_at_another_and_sends_that_ones_comm_key_nowhere()
    {
        fixture.ClearCalls();
        Assert.Equal(HttpStatusCode.OK, (await fixture.StartJsonAsync(new { purpose = "report_move", auth_method = "recorded", comm_method = "phone" })).StatusCode);
        var continuation = JsonDocument.Parse(fixture.Plugin.Calls.Last().Body).RootElement.GetProperty("continuation").GetString()!;
        var token = continuation[(continuation.IndexOf("?t=", StringComparison.Ordinal) + 3)..];
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.Client.GetAsync(continuation)).StatusCode);

        // The signing secret is the installation's: at othertown's address the status would ask testville's attr_url
        // with othertown's phone key.
        fixture.ClearCalls();
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Server.Client.GetAsync("/othertown/phone?t=" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Server.Client.GetAsync("/othertown/phone/status?t=" + token)).StatusCode);
        Assert.DoesNotContain(fixture.Plugin.Authorizations, a => a.Authorization.Contains(CoreFixture.OthertownPhoneKey, StringComparison.Ordinal));
        Assert.Empty(fixture.Plugin.Calls);

        // At its own municipality it still follows its session.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.Client.GetAsync("/testville/phone/status?t=" + token)).StatusCode);
    }

    [Fact]
    public async Task The_phone_page_is_never_cached_sends_no_referrer_and_is_never_framed()
    {
        var response = await fixture.StartJsonAsync(new { purpose = "report_move", auth_method = "recorded", comm_method = "phone" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var auth = JsonDocument.Parse(fixture.Plugin.Calls.Last().Body).RootElement;
        var page = await fixture.Server.Client.GetAsync(auth.GetProperty("continuation").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
