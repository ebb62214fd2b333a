using System.Net;
using System.Text;
using IdContact.Core.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Roles.Tests;

/// <summary>
/// The phone page's status is an extension of this project's desk: another ID Contact comm plugin has no
/// <c>{attr_url}/status</c>, and its page must keep showing the code rather than say the contact ended.
/// </summary>
public sealed class PhoneStatusInteropTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task A_plugin_without_the_status_extension_gives_no_state_to_follow(HttpStatusCode answer)
    {
        var plugin = new Answering(answer, "");
        Assert.Null(await new PluginClient(new HttpClient(plugin), NullLogger<PluginClient>.Instance)
            .PhoneStatusAsync("https://plugin.example/attr/abc", null, CancellationToken.None));
        Assert.Equal("https://plugin.example/attr/abc/status", plugin.Asked?.ToString());
    }

    [Fact]
    public async Task A_known_state_is_passed_on_and_an_unknown_one_is_a_bad_gateway()
    {
        var client = (string body) => new PluginClient(new HttpClient(new Answering(HttpStatusCode.OK, body)), NullLogger<PluginClient>.Instance);
        Assert.Equal("expired", await client("""{"state":"expired"}""").PhoneStatusAsync("https://plugin.example/attr/abc", null, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<PluginException>(() => client("""{"state":"ended"}""").PhoneStatusAsync("https://plugin.example/attr/abc", null, CancellationToken.None));
        Assert.Equal(502, unknown.Status);
    }

    /// <summary>A plugin's HTTP answer, fixed.</summary>
    private sealed class Answering(HttpStatusCode status, string json) : HttpMessageHandler
    {
        public Uri? Asked { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
