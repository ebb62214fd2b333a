using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;

namespace IdContact.Roles.Tests;

public class CoreAuthOnlyTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private static readonly AuthOnlyRequest Request = new("report_move", "recorded", "https://desk.example/video/42", "https://desk.example/video/42/attr");

    [Fact]
    public async Task Signed_request_from_registered_key_starts_only_authentication()
    {
        fixture.ClearCalls();
        var jwt = AuthOnlyStartToken.Create(Request, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow);
        var response = await PostJwt(jwt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.Plugin.BaseUrl + "/auth/page", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString());

        var call = Assert.Single(fixture.Plugin.Calls);
        Assert.Equal("/auth/start_authentication", call.Path);
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("https://desk.example/video/42", body.GetProperty("continuation").GetString());
        Assert.Equal("https://desk.example/video/42/attr", body.GetProperty("attr_url").GetString());
    }

    public static TheoryData<string> BadJwts()
    {
        var now = DateTimeOffset.UtcNow;
        var otherKey = PrivateKey.Generate(KeyType.Ec);
        var good = AuthOnlyStartToken.Create(Request, otherKey, "desk-1", now);
        var parts = good.Split('.');
        return new TheoryData<string>
        {
            AuthOnlyStartToken.Create(Request, otherKey, "desk-1", now),
            AuthOnlyStartToken.Create(Request, otherKey, "unknown-kid", now),
            AuthOnlyStartToken.Create(Request, PrivateKey.Generate(KeyType.Rsa), "desk-1", now),
            Base64Url("{\"alg\":\"none\",\"kid\":\"desk-1\"}") + "." + parts[1] + ".",
            "not-a-jwt",
            "",
        };
    }

    [Theory]
    [MemberData(nameof(BadJwts))]
    public async Task Unsigned_forged_or_unknown_key_requests_are_refused_and_call_no_plugin(string jwt)
    {
        fixture.ClearCalls();
        var response = await PostJwt(jwt);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(fixture.Plugin.Calls);
    }

    [Fact]
    public async Task Expired_request_is_refused()
    {
        fixture.ClearCalls();
        var jwt = AuthOnlyStartToken.Create(Request, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJwt(jwt)).StatusCode);
        Assert.Empty(fixture.Plugin.Calls);
    }

    [Fact]
    public async Task Validly_signed_request_for_disallowed_method_is_4xx_without_plugin_call()
    {
        fixture.ClearCalls();
        var jwt = AuthOnlyStartToken.Create(Request with { Purpose = "restricted" }, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJwt(jwt)).StatusCode);
        jwt = AuthOnlyStartToken.Create(Request with { CommUrl = "javascript:alert(1)" }, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJwt(jwt)).StatusCode);
        // tel: is a continuation, never where a result is posted.
        jwt = AuthOnlyStartToken.Create(Request with { AttrUrl = RecordingPlugin.TelUrl }, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJwt(jwt)).StatusCode);
        Assert.Empty(fixture.Plugin.Calls);
    }

    [Fact]
    public async Task A_phone_continuation_follows_its_session_only_when_the_attr_url_is_under_one_of_the_tenants_comm_methods()
    {
        // Under the phone method's plugin: the page carries the same status line as a full start's.
        var status = await PhonePageStatusAsync(Request with { CommUrl = RecordingPlugin.TelUrl, AttrUrl = fixture.Plugin.BaseUrl + "/phone/attr" });
        Assert.StartsWith("phone/status?t=", status);
        fixture.ClearCalls();
        var answer = await fixture.Server.Client.GetAsync("/testville/" + status);
        Assert.Equal("""{"state":"identified"}""", await answer.Content.ReadAsStringAsync());
        Assert.Equal("/phone/attr/status", Assert.Single(fixture.Plugin.Calls).Path);

        // Anywhere else (another origin, or climbing out of the plugin's path): no status, and no comm method's key sent there.
        Assert.Null(await PhonePageStatusAsync(Request with { CommUrl = RecordingPlugin.TelUrl, AttrUrl = "https://example.org/phone/attr" }));
        Assert.Null(await PhonePageStatusAsync(Request with { CommUrl = RecordingPlugin.TelUrl, AttrUrl = fixture.Plugin.BaseUrl + "/phone/../slow/attr" }));
    }

    /// <summary>Starts auth-only with a tel: comm_url and returns the data-status of the phone page it continues to (null: none).</summary>
    private async Task<string?> PhonePageStatusAsync(AuthOnlyRequest request)
    {
        fixture.ClearCalls();
        var response = await PostJwt(AuthOnlyStartToken.Create(request, fixture.StarterKey, "desk-1", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var continuation = JsonDocument.Parse(Assert.Single(fixture.Plugin.Calls).Body).RootElement.GetProperty("continuation").GetString()!;
        Assert.StartsWith(fixture.Server.BaseUrl + "/testville/phone?t=", continuation);
        var page = WebUtility.HtmlDecode(await fixture.Server.Client.GetStringAsync(continuation));
        Assert.Contains(">482913</span>", page);
        var status = System.Text.RegularExpressions.Regex.Match(page, "data-status=\"([^\"]+)\"");
        return status.Success ? status.Groups[1].Value : null;
    }

    private Task<HttpResponseMessage> PostJwt(string jwt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/testville/start") { Content = new StringContent(jwt, Encoding.ASCII, "application/jwt") };
        request.Headers.Accept.ParseAdd("application/json");
        return fixture.Server.Client.SendAsync(request);
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
