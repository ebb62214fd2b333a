using System.Net;

namespace IdContact.Roles.Tests;

/// <summary>Every role's pages have a tab icon of our own (no 404 for /favicon.ico in the console).</summary>
public class FaviconTests
{
    [Fact]
    public async Task Pages_link_a_served_svg_icon_and_favicon_ico_is_an_image()
    {
        await using var server = await RunningServer.StartAsync(); // the embedded demo
        var page = await (await server.Client.GetAsync("/arnhem/auth-test/session?s=expired")).Content.ReadAsStringAsync();
        Assert.Contains("<link rel=\"icon\" href=\"/assets/favicon.svg\" />", page, StringComparison.Ordinal);

        foreach (var path in new[] { "/assets/favicon.svg", "/favicon.ico" })
        {
            var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("<svg ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>The demo municipal website serves nothing but its pages: it names an empty icon instead.</summary>
    [Fact]
    public async Task The_demo_municipal_website_names_its_icon_so_the_browser_asks_no_favicon_ico()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        using var client = new HttpClient();
        var page = await client.GetStringAsync(server.DemoSiteUrl + "/arnhem");

        Assert.Contains("<link rel=\"icon\" href=\"data:,\">", page, StringComparison.Ordinal);
    }

    /// <summary>A plugin's error page knows its tenant: the demo's residents go back to the demo municipal website.</summary>
    [Fact]
    public async Task A_plugin_error_page_links_back_to_the_demo_municipal_website()
    {
        await using var server = await RunningServer.StartWithDemoSiteAsync();
        var page = await (await server.Client.GetAsync("/arnhem/auth-test/session?s=expired")).Content.ReadAsStringAsync();

        Assert.Contains($"<a class=\"utrecht-link utrecht-link--html-a\" href=\"{server.DemoSiteUrl}/arnhem\">Terug naar de website van Gemeente Arnhem</a>", page, StringComparison.Ordinal);
    }
}
