using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Auth.Irma.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests;

/// <summary>Only our core starts sessions at our plugins, and auth plugins send results and residents only where they may.</summary>
public class PluginAccessTests(TestPluginsFixture fixture) : IClassFixture<TestPluginsFixture>
{
    public static TheoryData<string, string> StartEndpoints => new()
    {
        { "/arnhem/auth-test/start_authentication", """{"attributes":["fullname"],"continuation":"https://example.org/back"}""" },
        { "/arnhem/auth-irma/start_authentication", """{"attributes":["fullname"],"continuation":"https://example.org/back"}""" },
        { "/arnhem/comm-test/start_communication", """{"purpose":"report_move"}""" },
        { "/arnhem/phone/start_communication", """{"purpose":"report_move"}""" },
    };

    [Theory]
    [MemberData(nameof(StartEndpoints))]
    public async Task Plugin_starts_without_the_cores_key_are_401_and_with_it_succeed(string path, string body)
    {
        var sessionsBefore = FakeIrmaSessions;
        foreach (var authorization in new AuthenticationHeaderValue?[] { null, new("Bearer", "a-guessed-key-0123456789"), new("Basic", RunningServer.PluginKey) })
        {
            using var request = Post(path, body);
            request.Headers.Authorization = authorization;
            using var stranger = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
            var response = await stranger.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(sessionsBefore, FakeIrmaSessions);
        using var core = Post(path, body);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(core)).StatusCode);
    }

    [Theory]
    [InlineData("auth-test", "attr_url", "http://169.254.169.254/latest/meta-data")]
    [InlineData("auth-test", "attr_url", "http://127.0.0.1:6379/")]
    [InlineData("auth-test", "continuation", "https://evil.example/phish")]
    [InlineData("auth-irma", "attr_url", "http://10.0.0.7/internal")]
    [InlineData("auth-irma", "continuation", "https://evil.example/phish")]
    public async Task Results_and_residents_go_only_to_allowed_origins(string role, string field, string url)
    {
        var body = new Dictionary<string, object>
        {
            ["attributes"] = new[] { "fullname" },
            ["continuation"] = field == "continuation" ? url : fixture.Server.BaseUrl + "/arnhem/comm-test/session/x",
            ["attr_url"] = field == "attr_url" ? url : RunningServer.ForeignOrigin + "/attr/1",
        };
        var sessionsBefore = FakeIrmaSessions;

        var response = await fixture.Client.PostAsJsonAsync($"/arnhem/{role}/start_authentication", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{field}'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(sessionsBefore, FakeIrmaSessions);
    }

    [Fact]
    public async Task This_installation_its_comm_methods_and_trusted_origins_are_allowed()
    {
        foreach (var target in new[] { fixture.Server.BaseUrl + "/arnhem/phone/attr/x", RunningServer.ForeignOrigin + "/attr/1" })
        {
            var url = await fixture.StartAuthAsync(["fullname"], "tel:+31201234567,,123456", target);
            Assert.StartsWith(fixture.Server.BaseUrl, url, StringComparison.Ordinal);
        }
    }

    private int FakeIrmaSessions => fixture.Server.App.Services.GetRequiredService<FakeSessions>().Count;

    private static HttpRequestMessage Post(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
}
