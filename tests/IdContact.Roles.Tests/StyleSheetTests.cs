using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace IdContact.Roles.Tests;

/// <summary>The shared NL Design System sheet and each tenant's brand.css, as the pages link them.</summary>
public partial class StyleSheetTests
{
    [Fact]
    public async Task Pages_link_one_versioned_sheet_served_with_long_caching_and_an_ETag()
    {
        await using var server = await RunningServer.StartAsync(); // the embedded demo
        var page = await (await server.Client.GetAsync("/arnhem/auth-test/session?s=expired")).Content.ReadAsStringAsync();
        var href = SheetLink().Match(page).Groups[1].Value;
        Assert.StartsWith("/assets/idcontact.css?v=", href, StringComparison.Ordinal);

        var response = await server.Client.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var css = await response.Content.ReadAsStringAsync();
        Assert.Contains(".utrecht-theme {", css, StringComparison.Ordinal); // design tokens
        Assert.Contains(".utrecht-button--primary-action", css, StringComparison.Ordinal); // components
        Assert.Contains(".idc-header", css, StringComparison.Ordinal); // our layout

        // A revalidation with the ETag costs no body; the bare URL is not cached blindly.
        using var again = new HttpRequestMessage(HttpMethod.Get, href);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await server.Client.SendAsync(again)).StatusCode);
        Assert.Equal("no-cache", (await server.Client.GetAsync("/assets/idcontact.css")).Headers.CacheControl?.ToString());

        using var gzip = new HttpRequestMessage(HttpMethod.Get, href);
        gzip.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var compressed = await server.Client.SendAsync(gzip);
        Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.True((await compressed.Content.ReadAsByteArrayAsync()).Length < css.Length / 4);
    }

    [Fact]
    public async Task Each_tenants_brand_css_sets_its_own_colour_tokens()
    {
        await using var server = await RunningServer.StartAsync(); // the demo: Arnhem green, Utrecht red
        var page = await (await server.Client.GetAsync("/arnhem/auth-test/session?s=expired")).Content.ReadAsStringAsync();
        var href = BrandLink().Match(page).Groups[1].Value;
        Assert.StartsWith("/arnhem/assets/brand.css?v=", href, StringComparison.Ordinal);

        var arnhem = await server.Client.GetStringAsync(href);
        var utrecht = await server.Client.GetStringAsync("/utrecht/assets/brand.css");
        Assert.Contains("--utrecht-button-primary-action-background-color: #1d6b38;", arnhem, StringComparison.Ordinal);
        Assert.DoesNotContain("#c00000", arnhem, StringComparison.Ordinal);
        Assert.Contains("--utrecht-button-primary-action-background-color: #c00000;", utrecht, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/nowhere/assets/brand.css")).StatusCode);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/assets/idcontact\\.css[^\"]*)\"")]
    private static partial Regex SheetLink();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/arnhem/assets/brand\\.css[^\"]*)\"")]
    private static partial Regex BrandLink();
}
