using System.Net;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.WebUtilities;

namespace IdContact.Desk.Tests;

/// <summary>Signing out of a session that began at the municipality's provider ends the provider's session too (RP-Initiated Logout).</summary>
public sealed class OidcSignOutTests(OidcDeskServer desk) : IClassFixture<OidcDeskServer>
{
    private static async Task<HttpResponseMessage> SignOutAsync(OidcBrowser browser, string tenant, string? host = null, string? dest = null, string? framed = null)
    {
        var overview = await browser.Client.GetStringAsync($"/{tenant}/desk");
        KeyValuePair<string, string>[] fields = framed is null
            ? [AntiforgeryForm.FieldOf(overview, "the overview")]
            : [AntiforgeryForm.FieldOf(overview, "the overview"), new("framed", framed)];
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/desk/logout") { Content = new FormUrlEncodedContent(fields) };
        if (host is not null)
        {
            post.Headers.Host = host;
            post.Headers.Add("X-Forwarded-Host", host);
        }

        if (dest is not null)
        {
            post.Headers.Add("Sec-Fetch-Dest", dest);
        }

        return await browser.Client.SendAsync(post);
    }

    /// <summary>Signs out, checks it leads straight to <paramref name="location"/> without visiting A's provider, and returns that page.</summary>
    private async Task<string> SignsOutHereOnlyAsync(OidcBrowser browser, string tenant, string location)
    {
        var before = desk.ProviderA.EndSessions.Count;
        var signedOut = await SignOutAsync(browser, tenant);
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal(location, signedOut.Headers.Location!.ToString());
        Assert.Equal(before, desk.ProviderA.EndSessions.Count);
        return await browser.Client.GetStringAsync(signedOut.Headers.Location);
    }

    /// <summary>Whether a sign-in's redirects passed the provider's login page (it asked for a password).</summary>
    private static bool AskedForLogin(IEnumerable<Uri> visited, TestIdentityProvider provider) =>
        visited.Any(u => u.ToString().StartsWith(provider.Authority + "login?", StringComparison.Ordinal));

    [Fact]
    public async Task Signing_out_ends_the_providers_session_and_returns_to_the_sign_in_page()
    {
        const string name = "uit@gemeente-a.example";
        await desk.CreateAgentAsync(desk.TenantA, name);
        desk.ProviderA.UserName = name;
        var visited = new List<Uri>();
        using var browser = new OidcBrowser(desk.Server) { Bend = uri => { visited.Add(uri); return uri; } };
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        Assert.True(AskedForLogin(visited, desk.ProviderA));

        // The post_logout_redirect_uri comes from PublicUrl, never from a Host the request names.
        var before = desk.ProviderA.EndSessions.Count;
        var signedOut = await SignOutAsync(browser, desk.TenantA, host: "attacker.example");
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        var endSession = signedOut.Headers.Location!;
        Assert.StartsWith(desk.ProviderA.Authority + "connect/endsession?", endSession.ToString());
        var query = QueryHelpers.ParseQuery(endSession.Query);
        Assert.Equal("desk-a", query["client_id"].ToString());
        Assert.Equal($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/oidc/signed-out", query["post_logout_redirect_uri"].ToString());
        Assert.False(string.IsNullOrEmpty(query["state"].ToString()));
        Assert.False(browser.HasDeskCookie(desk.TenantA));

        visited.Clear();
        var landed = await browser.FollowAsync(signedOut);
        Assert.Equal(before + 1, desk.ProviderA.EndSessions.Count);
        Assert.Contains(visited, u => u.AbsolutePath == $"/{desk.TenantA}/desk/oidc/signed-out");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal($"/{desk.TenantA}/desk/login", landed.RequestMessage!.RequestUri!.AbsolutePath);
        var page = await landed.Content.ReadAsStringAsync();
        Assert.Contains("U bent uitgelogd. Op andere apparaten bent u ook uitgelogd.", page);
        Assert.DoesNotContain("mogelijk nog ingelogd", page);

        // The next person at this workstation is asked for a password at the provider, not signed in as the previous agent.
        visited.Clear();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        Assert.True(AskedForLogin(visited, desk.ProviderA), "signed in again at the provider without its login page");
    }

    [Fact]
    public async Task A_provider_without_end_session_signs_out_here_and_the_page_says_to_close_the_browser()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "geen-einde");
        desk.ProviderB.UserName = "geen-einde";
        foreach (var (lang, text) in new[] { ("", "U bent mogelijk nog ingelogd bij B-account: sluit de browser of log daar ook uit."), ("en", "You may still be signed in at B-account: close the browser or sign out there as well.") })
        {
            using var browser = new OidcBrowser(desk.Server);
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantB)).StatusCode);
            var signedOut = await SignOutAsync(browser, desk.TenantB);
            Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
            Assert.Equal($"/{desk.TenantB}/desk/login?signedout=all&provider=open", signedOut.Headers.Location!.ToString());
            Assert.False(browser.HasDeskCookie(desk.TenantB));

            var page = await browser.Client.GetAsync(signedOut.Headers.Location + (lang.Length > 0 ? "&lang=" + lang : ""));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(text, WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
            Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync($"/{desk.TenantB}/desk")).StatusCode);
        }
    }

    [Fact]
    public async Task Switched_off_the_provider_is_not_visited_and_the_page_says_to_close_the_browser()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantE, "blijft");
        desk.ProviderA.UserName = "blijft";
        var visited = new List<Uri>();
        using var browser = new OidcBrowser(desk.Server) { Bend = uri => { visited.Add(uri); return uri; } };
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantE)).StatusCode);

        var page = await SignsOutHereOnlyAsync(browser, desk.TenantE, $"/{desk.TenantE}/desk/login?signedout=all&provider=open");
        Assert.Contains("mogelijk nog ingelogd bij E-account", page);

        // The provider's session stays, as configured: the next sign-in needs no password there.
        visited.Clear();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantE)).StatusCode);
        Assert.False(AskedForLogin(visited, desk.ProviderA));
    }

    [Fact]
    public async Task A_password_agent_of_a_municipality_with_a_provider_signs_out_here_only()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "wachtwoord-a");
        using var browser = new OidcBrowser(desk.Server);
        var field = AntiforgeryForm.FieldOf(await browser.Client.GetStringAsync($"/{desk.TenantA}/desk/login"), "A's sign-in page");
        var signedIn = await browser.Client.PostAsync($"/{desk.TenantA}/desk/login",
            new FormUrlEncodedContent([field, new("userName", "wachtwoord-a"), new("password", DeskAgent.Password)]));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        var page = await SignsOutHereOnlyAsync(browser, desk.TenantA, $"/{desk.TenantA}/desk/login?signedout=all");
        Assert.DoesNotContain("mogelijk nog ingelogd", page);
    }

    [Fact]
    public async Task A_forged_or_replayed_return_from_signing_out_is_a_400_page_never_a_500()
    {
        // A sign-in's state (protected by the same handler) taken to the signed-out address leads nowhere.
        desk.ProviderA.UserName = null;
        using var browser = new OidcBrowser(desk.Server);
        var field = AntiforgeryForm.FieldOf(await browser.Client.GetStringAsync($"/{desk.TenantA}/desk/login"), "A's sign-in page");
        var challenge = await browser.Client.PostAsync($"/{desk.TenantA}/desk/login/oidc", new FormUrlEncodedContent([field, new("returnUrl", $"/{desk.TenantA}/desk/account")]));
        var signInState = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query)["state"].ToString();
        Assert.False(string.IsNullOrEmpty(signInState));

        foreach (var query in new[] { "", "?state=forged", "?state=" + Uri.EscapeDataString(signInState), "?state=" + new string('A', 5000) })
        {
            var forged = await browser.Client.GetAsync($"/{desk.TenantA}/desk/oidc/signed-out{query}");
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("Dit is geen geldige terugkeer van uitloggen bij A-account", await forged.Content.ReadAsStringAsync());
        }

        var put = await browser.Client.PutAsync($"/{desk.TenantA}/desk/oidc/signed-out?state=x", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/{desk.TenantC}/desk/oidc/signed-out?state=x")).StatusCode);
    }

    /// <summary>
    /// Pressed inside the agent workspace's frame, the sign-out does not send the frame to the provider (which refuses to
    /// be framed): the browser's Sec-Fetch-Dest says so, or, where it sends none, the form's field set by script. The
    /// sign-in page then says the provider's session may be open and offers to finish there in a new tab (a POST with a token).
    /// </summary>
    [Fact]
    public async Task Signed_out_in_the_workspaces_frame_lands_on_the_sign_in_page_with_a_button_that_finishes_at_the_provider()
    {
        const string name = "kader@gemeente-a.example";
        await desk.CreateAgentAsync(desk.TenantA, name);
        desk.ProviderA.UserName = name;
        foreach (var (dest, field) in new (string? Dest, string? Field)[] { ("iframe", "0"), ("frame", null), (null, "1") })
        {
            using var browser = new OidcBrowser(desk.Server);
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantA)).StatusCode);
            var before = desk.ProviderA.EndSessions.Count;
            var signedOut = await SignOutAsync(browser, desk.TenantA, dest: dest, framed: field);
            Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
            Assert.Equal($"/{desk.TenantA}/desk/login?signedout=all&provider=frame", signedOut.Headers.Location!.ToString());
            Assert.False(browser.HasDeskCookie(desk.TenantA));
            Assert.Equal(before, desk.ProviderA.EndSessions.Count);

            var page = await browser.Client.GetStringAsync(signedOut.Headers.Location);
            Assert.Contains("U bent mogelijk nog ingelogd bij A-account: sluit de browser of log daar ook uit.", WebUtility.HtmlDecode(page));
            Assert.Contains($"<form method=\"post\" action=\"/{desk.TenantA}/desk/logout/oidc\" target=\"_blank\" rel=\"noopener\">", page);
            Assert.Contains("Ook uitloggen bij A-account (opent in een nieuw tabblad)", page);

            // The button, in its own tab: the provider's end session, and back to the sign-in page.
            var finish = await browser.Client.PostAsync($"/{desk.TenantA}/desk/logout/oidc", new FormUrlEncodedContent([AntiforgeryForm.FieldOf(page, "the sign-in page")]));
            Assert.Equal(HttpStatusCode.SeeOther, finish.StatusCode);
            Assert.StartsWith(desk.ProviderA.Authority + "connect/endsession?", finish.Headers.Location!.ToString());
            var landed = await browser.FollowAsync(finish);
            Assert.Equal(before + 1, desk.ProviderA.EndSessions.Count);
            Assert.Equal($"/{desk.TenantA}/desk/login", landed.RequestMessage!.RequestUri!.AbsolutePath);
            var back = await landed.Content.ReadAsStringAsync();
            Assert.Contains("U bent uitgelogd.", back);
            Assert.DoesNotContain("mogelijk nog ingelogd", back);
        }

        // The browser's word wins over the field: a top-level sign-out goes to the provider as before.
        using var top = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await top.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        var atProvider = await SignOutAsync(top, desk.TenantA, dest: "document", framed: "1");
        Assert.StartsWith(desk.ProviderA.Authority + "connect/endsession?", atProvider.Headers.Location!.ToString());
    }

    /// <summary>The finishing button's endpoint: only a POST with the page's token, only where the desk signs out at the provider.</summary>
    [Fact]
    public async Task Finishing_at_the_provider_needs_the_pages_token_and_a_provider_to_sign_out_at()
    {
        using var browser = new OidcBrowser(desk.Server);
        var before = desk.ProviderA.EndSessions.Count;
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.PostAsync($"/{desk.TenantA}/desk/logout/oidc", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.Client.GetAsync($"/{desk.TenantA}/desk/logout/oidc")).StatusCode);
        Assert.Equal(before, desk.ProviderA.EndSessions.Count);

        // The notice's button is offered only after a framed sign-out, where the desk signs out at the provider.
        Assert.DoesNotContain("/desk/logout/oidc", await browser.Client.GetStringAsync($"/{desk.TenantE}/desk/login?signedout=all&provider=frame"));
        Assert.DoesNotContain("/desk/logout/oidc", await browser.Client.GetStringAsync($"/{desk.TenantA}/desk/login?signedout=all&provider=open"));

        async Task<HttpResponseMessage> FinishAsync(string tenant)
        {
            var page = await browser.Client.GetStringAsync($"/{tenant}/desk/login");
            return await browser.Client.PostAsync($"/{tenant}/desk/logout/oidc", new FormUrlEncodedContent([AntiforgeryForm.FieldOf(page, "the sign-in page")]));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await FinishAsync(desk.TenantE)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FinishAsync(desk.TenantC)).StatusCode);
        // A provider without an end session: the sign-in page with the hint to close the browser.
        var noEnd = await FinishAsync(desk.TenantB);
        Assert.Equal(HttpStatusCode.SeeOther, noEnd.StatusCode);
        Assert.Equal($"/{desk.TenantB}/desk/login?signedout=this&provider=open", noEnd.Headers.Location!.ToString());
    }
}
