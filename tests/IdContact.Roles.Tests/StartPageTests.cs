using System.Net;

namespace IdContact.Roles.Tests;

/// <summary>"/" shows the demo's municipalities only in demo mode; a production installation does not list its tenants.</summary>
public class StartPageTests
{
    [Fact]
    public async Task Outside_demo_mode_the_start_page_names_no_municipality_and_offers_no_flow()
    {
        await using var server = await ProductionCore.StartAsync();

        foreach (var (path, sentence) in new[]
        {
            ("/", "U start dit vanaf de website van uw gemeente."),
            ("/?lang=en", "You start it from your municipality's website."),
        })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains(sentence, page, StringComparison.Ordinal);
            Assert.Contains("<meta name=\"robots\" content=\"noindex\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Arnhem", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<form", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Verhuizing", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task In_demo_mode_the_start_page_still_lists_the_municipalities()
    {
        await using var server = await RunningServer.StartAsync();

        var page = WebUtility.HtmlDecode(await server.Client.GetStringAsync("/"));
        Assert.Contains("Gemeente Arnhem", page, StringComparison.Ordinal);
        // The form names the page's language, as the widget does, so the next page does not follow the browser's.
        Assert.Contains("action=\"/arnhem/start?lang=nl\"", page, StringComparison.Ordinal);
        var english = WebUtility.HtmlDecode(await server.Client.GetStringAsync("/?lang=en"));
        Assert.Contains("action=\"/arnhem/start?lang=en\"", english, StringComparison.Ordinal);
        Assert.DoesNotContain("U start dit vanaf de website van uw gemeente.", page, StringComparison.Ordinal);
    }
}
