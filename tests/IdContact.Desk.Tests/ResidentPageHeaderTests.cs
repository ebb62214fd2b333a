using System.Net;

namespace IdContact.Desk.Tests;

/// <summary>Every page a resident opens carries a capability or a live code: never cached, no referrer, never framed.</summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Theory]
    [InlineData("GET /id")]
    [InlineData("POST /id")]
    [InlineData("GET /id/done/{capability}")]
    [InlineData("GET /chat/new?purpose=report_move")]
    [InlineData("GET /chat/c/{chat}")]
    [InlineData("GET /video/book/{booking}")]
    [InlineData("POST /video/book/{booking}")]
    [InlineData("GET /video/join/{join}")]
    [InlineData("GET /video/join/{join}/signed-in")]
    [InlineData("GET /video/cancel/{cancel}")]
    [InlineData("GET /video/booked/{join}/{cancel}")]
    [InlineData("GET /video/book/{capability}")]
    [InlineData("GET /video/cancel/{capability}")]
    [InlineData("GET /video/cancelled/{capability}")]
    [InlineData("GET /video/booked/{capability}/{capability}")]
    public async Task Every_resident_page_is_never_cached_sends_no_referrer_and_is_never_framed(string route)
    {
        var response = await OpenResidentPageAsync(route);

        Assert.True((int)response.StatusCode < 500, route);
        Assert.True(response.Headers.CacheControl?.NoStore == true, route);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
    }

    /// <summary>A tab, a bookmark or a screen reader's page list shows only the title: it says whose page it is.</summary>
    [Theory]
    [InlineData("GET /id")]
    [InlineData("GET /chat/c/{chat}")]
    [InlineData("GET /video/book/{booking}")]
    [InlineData("GET /video/join/{join}")]
    [InlineData("GET /video/join/{join}/signed-in")]
    [InlineData("GET /video/cancel/{cancel}")]
    [InlineData("GET /video/booked/{join}/{cancel}")]
    [InlineData("GET /video/book/{capability}")]
    [InlineData("GET /video/cancel/{capability}")]
    [InlineData("GET /video/cancelled/{capability}")]
    [InlineData("GET /video/booked/{capability}/{capability}")]
    public async Task Every_resident_page_names_the_municipality_in_its_title(string route)
    {
        var html = await (await OpenResidentPageAsync(route)).Content.ReadAsStringAsync();

        Assert.Matches(@"<title>[^<]+ – Gemeente (\+|&#x2B;)31201111111</title>", html); // Razor encodes the +
    }

    /// <summary>The route's page with real capabilities (a made-up one where <c>{capability}</c>): the pages that matter, not only their notices.</summary>
    private async Task<HttpResponseMessage> OpenResidentPageAsync(string route, string? tenant = null)
    {
        var t = tenant ?? desk.TenantA;
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        if (path.Contains("{booking}", StringComparison.Ordinal))
        {
            var resident = await ResidentAsync(t);
            if (method == "POST")
            {
                return await resident.BookAsync((await resident.FirstSlotAsync()).Slot, $"kop-{Guid.NewGuid():N}@example.nl");
            }

            return await resident.Client.GetAsync(resident.PageUrl);
        }

        if (path.Contains("{join}", StringComparison.Ordinal) || path.Contains("{cancel}", StringComparison.Ordinal))
        {
            var booked = await desk.Appointments(TimeProvider.System).PlanAsync(t, "report_move", "kop@example.nl", DateTimeOffset.UtcNow, await PlannerAsync(t), CancellationToken.None);
            path = path.Replace("{join}", booked.Link.Split('/')[^1], StringComparison.Ordinal)
                .Replace("{cancel}", booked.CancelLink.Split('/')[^1], StringComparison.Ordinal);
        }

        if (path.Contains("{chat}", StringComparison.Ordinal))
        {
            path = path.Replace("{chat}", (await desk.StartChatAsync(t)).ClientUrl.Split('/')[^1], StringComparison.Ordinal);
        }

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(desk.Server.BaseUrl) };
        var url = $"/{t}" + path.Replace("{capability}", new string('A', 43), StringComparison.Ordinal);
        return method == "POST"
            ? await client.PostAsync(url, new FormUrlEncodedContent([new("code", "00000000")]))
            : await client.GetAsync(url);
    }
}
