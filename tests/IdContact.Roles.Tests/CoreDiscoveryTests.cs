using System.Net;
using System.Text.Json;

namespace IdContact.Roles.Tests;

public class CoreDiscoveryTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private HttpClient Client => fixture.Server.Client;

    [Fact]
    public async Task Purpose_lists_only_allowed_methods_with_absolute_images()
    {
        var json = await GetJson("/testville/session_options/restricted");
        var auth = json.GetProperty("auth_methods").EnumerateArray().ToList();
        Assert.Single(auth);
        Assert.Equal("test", auth[0].GetProperty("tag").GetString());
        Assert.Equal("Testinlog", auth[0].GetProperty("name").GetString());
        Assert.Equal(fixture.Server.BaseUrl + "/static/auth-test.svg", auth[0].GetProperty("image_path").GetString());
        Assert.Equal(["test"], json.GetProperty("comm_methods").EnumerateArray().Select(m => m.GetProperty("tag").GetString()));
    }

    [Fact]
    public async Task Wildcard_allows_every_configured_method()
    {
        var json = await GetJson("/testville/session_options/report_move");
        Assert.Equal(11, json.GetProperty("auth_methods").GetArrayLength());
        Assert.Equal(7, json.GetProperty("comm_methods").GetArrayLength());
        var recorded = json.GetProperty("auth_methods").EnumerateArray().Single(m => m.GetProperty("tag").GetString() == "recorded");
        Assert.Equal("https://cdn.example/i.svg", recorded.GetProperty("image_path").GetString());
    }

    [Fact]
    public async Task Without_purpose_options_are_keyed_by_purpose()
    {
        var json = await GetJson("/testville/session_options");
        Assert.Equal(["report_move", "restricted"], json.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Unknown_purpose_is_404_problem()
    {
        var response = await Client.GetAsync("/testville/session_options/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Tenants_do_not_see_each_others_purposes()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/testville/session_options/other_only")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/othertown/session_options/other_only")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/othertown/session_options/report_move")).StatusCode);
    }

    [Fact]
    public async Task Unknown_tenant_is_404_problem()
    {
        var response = await Client.GetAsync("/atlantis/session_options");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("atlantis", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cors_allows_configured_origin_only()
    {
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "/testville/start");
        allowed.Headers.Add("Origin", "http://municipality.example");
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        allowed.Headers.Add("Access-Control-Request-Headers", "content-type");
        var ok = await Client.SendAsync(allowed);
        Assert.Equal("http://municipality.example", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = new HttpRequestMessage(HttpMethod.Get, "/testville/session_options");
        other.Headers.Add("Origin", "http://evil.example");
        var refused = await Client.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<JsonElement> GetJson(string path)
    {
        var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
