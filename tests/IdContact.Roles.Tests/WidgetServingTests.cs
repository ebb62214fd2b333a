using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests;

/// <summary>The core serves widget.js per tenant; the demo municipal site answers only on its own port.</summary>
public class WidgetServingTests
{
    [Fact]
    public async Task Widget_is_served_as_cacheable_javascript_per_known_tenant_only()
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.Client.GetAsync("/arnhem/widget.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("IdContact", await response.Content.ReadAsStringAsync());
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/utrecht/widget.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var unknown = await server.Client.GetAsync("/atlantis/widget.js");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Session_options_name_methods_in_English_on_request_and_in_Dutch_by_default()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal("Bellen", await PhoneName(server, ""));
        Assert.Equal("Phone", await PhoneName(server, "?lang=en"));
    }

    [Fact]
    public async Task Demo_site_port_serves_the_municipal_page_with_the_widget_and_nothing_of_the_core()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var site = server.DemoSiteUrl!;
        using var client = new HttpClient { BaseAddress = new Uri(site) };

        var html = await client.GetStringAsync("/arnhem");
        Assert.Contains($"<script src=\"{server.BaseUrl}/arnhem/widget.js\"></script>", html);
        Assert.Contains("data-idcontact-purpose=\"report_move\"", html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/arnhem/widget.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/atlantis")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/arnhem/start", new StringContent("{}"))).StatusCode);

        // The site's origin may call the core; another origin may not.
        Assert.Equal(site, await AllowedOrigin(server, site));
        Assert.Null(await AllowedOrigin(server, "http://evil.example"));
    }

    [Fact]
    public async Task A_page_from_an_origin_not_in_AllowedOrigins_is_named_to_the_operator_in_one_warning_a_minute()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        Assert.Equal(server.DemoSiteUrl, await AllowedOrigin(server, server.DemoSiteUrl!));
        await AllowedOrigin(server, server.BaseUrl); // the core's own pages need no CORS
        Assert.DoesNotContain(server.Logs!.Messages, m => m.Contains("Core:AllowedOrigins"));

        Assert.Null(await AllowedOrigin(server, "https://www.zwolle.nl"));
        Assert.Null(await AllowedOrigin(server, "https://other.example"));
        var warning = Assert.Single(server.Logs.Messages, m => m.Contains("Core:AllowedOrigins"));
        Assert.Contains("https://www.zwolle.nl called the core", warning);
    }

    [Fact]
    public async Task The_cores_own_pages_behind_a_proxy_are_no_refused_origin()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(logging => logging.AddProvider(logs), "--PublicUrl", "https://idcontact.example.nl");
        Assert.Null(await AllowedOrigin(server, "https://idcontact.example.nl")); // the public address, not the one asked
        Assert.DoesNotContain(logs.Messages, m => m.Contains("Core:AllowedOrigins"));
        Assert.Null(await AllowedOrigin(server, "https://www.zwolle.nl"));
        Assert.Single(logs.Messages, m => m.Contains("Core:AllowedOrigins"));
    }

    private static async Task<string?> PhoneName(RunningServer server, string query)
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync("/arnhem/session_options/report_move" + query));
        return document.RootElement.GetProperty("comm_methods").EnumerateArray()
            .Single(m => m.GetProperty("tag").GetString() == "phone").GetProperty("name").GetString();
    }

    private static async Task<string?> AllowedOrigin(RunningServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/arnhem/session_options/report_move");
        request.Headers.Add("Origin", origin);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await server.Client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}
