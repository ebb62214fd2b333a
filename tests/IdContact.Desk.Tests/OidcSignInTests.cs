using System.Net;
using System.Text.Json;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Tests;

/// <summary>
/// A desk whose municipalities A and B each sign their agents in with their own identity provider (B with no desk
/// passwords at all, and its provider has no end session), and C with passwords only. E signs in at A's provider but
/// does not sign out there.
/// </summary>
public sealed class OidcDeskServer : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private string _config = "";

    public string TenantA => "oa" + _suffix;

    public string TenantB => "ob" + _suffix;

    public string TenantC => "oc" + _suffix;

    /// <summary>Its provider does not answer; the default back-channel timeout.</summary>
    public string TenantD => "od" + _suffix;

    /// <summary>A's provider, with <c>SignOutAtProvider</c> off.</summary>
    public string TenantE => "oe" + _suffix;

    public TestIdentityProvider ProviderA { get; private set; } = null!;

    public TestIdentityProvider ProviderB { get; private set; } = null!;

    public RunningServer Server { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public TenantDatabases Databases => Server.App.Services.GetRequiredService<TenantDatabases>();

    public async Task InitializeAsync()
    {
        ProviderA = await TestIdentityProvider.StartAsync();
        ProviderB = await TestIdentityProvider.StartAsync(endSession: false);
        _config = Path.Combine(Path.GetTempPath(), $"idcontact-oidc-{_suffix}.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Sqlite" },
            Tenants = new Dictionary<string, object>
            {
                [TenantA] = Tenant("Gemeente A", new { Authority = ProviderA.Authority, ClientId = "desk-a", ClientSecret = "secret-a", Label = "A-account", LabelEn = "A account", BackchannelTimeoutSeconds = TestIdentityProvider.PatientSeconds }),
                [TenantB] = Tenant("Gemeente B", new { Authority = ProviderB.Authority, ClientId = "desk-b", ClientSecret = "secret-b", Label = "B-account", PasswordSignIn = false, BackchannelTimeoutSeconds = TestIdentityProvider.PatientSeconds }),
                [TenantC] = new { DisplayName = "Gemeente C" },
                [TenantD] = Tenant("Gemeente D", new { Authority = $"http://127.0.0.1:{RunningServer.FreePort()}/", ClientId = "desk-d", Label = "D-account" }),
                [TenantE] = Tenant("Gemeente E", new { Authority = ProviderA.Authority, ClientId = "desk-e", ClientSecret = "secret-e", Label = "E-account", SignOutAtProvider = false, BackchannelTimeoutSeconds = TestIdentityProvider.PatientSeconds }),
            },
        }));
        // Everything at Trace, so a claim, code or state written at any level would show.
        Server = await RunningServer.StartAsync(
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs),
            "--config", _config, "--Logging:LogLevel:Default", "Trace", "--Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        ProviderA.Clients.Add(new("desk-a", "secret-a", $"{Server.BaseUrl}/{TenantA}/desk/oidc/callback", $"{Server.BaseUrl}/{TenantA}/desk/oidc/signed-out"));
        ProviderA.Clients.Add(new("desk-e", "secret-e", $"{Server.BaseUrl}/{TenantE}/desk/oidc/callback", $"{Server.BaseUrl}/{TenantE}/desk/oidc/signed-out"));
        ProviderB.Clients.Add(new("desk-b", "secret-b", $"{Server.BaseUrl}/{TenantB}/desk/oidc/callback"));
    }

    private static object Tenant(string name, object oidc) => new { DisplayName = name, Desk = new { SignIn = new { Oidc = oidc } } };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await ProviderA.DisposeAsync();
        await ProviderB.DisposeAsync();
        File.Delete(_config);
    }

    /// <summary>An agent account as an administrator creates it: a handed-out password still to be changed.</summary>
    public async Task<Agent> CreateAgentAsync(string tenant, string userName, bool totp = false)
    {
        await using var identity = new OfflineIdentity(Databases, tenant);
        var (agent, _, errors) = await AgentAccounts.CreateAsync(identity.Users, userName, "Medewerker " + userName, "201", null);
        Assert.True(agent is not null, string.Join(" ", errors));
        if (totp)
        {
            await identity.Users.ResetAuthenticatorKeyAsync(agent);
            await identity.Users.SetTwoFactorEnabledAsync(agent, true);
        }

        return agent;
    }
}

/// <summary>A browser: cookies for the desk and the provider, redirects followed one by one (so a test can bend one).</summary>
public sealed class OidcBrowser(RunningServer server) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _client;

    public HttpClient Client => _client ??= new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(server.BaseUrl),
    };

    /// <summary>Changes where a redirect leads before it is followed: a forged or replayed callback.</summary>
    public Func<Uri, Uri>? Bend { get; set; }

    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            Assert.True(hops < 10, "too many redirects");
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await Client.GetAsync(Bend?.Invoke(next) ?? next);
        }

        return response;
    }

    /// <summary>Presses "Inloggen met …" on the tenant's sign-in page and follows the provider back to the desk.</summary>
    public async Task<HttpResponseMessage> SignInWithProviderAsync(string tenant, string returnUrl = "")
    {
        var page = await Client.GetStringAsync($"/{tenant}/desk/login");
        var field = AntiforgeryForm.FieldOf(page, "the sign-in page");
        var post = await Client.PostAsync($"/{tenant}/desk/login/oidc", new FormUrlEncodedContent([field, new("returnUrl", returnUrl)]));
        return await FollowAsync(post);
    }

    /// <summary>Makes the desk cookie look older, so the next request meets the security stamp check (as <see cref="DeskAgent.AgeSignIn"/>).</summary>
    public void AgeSignIn(TimeSpan age) => DeskAgent.AgeSignIn(_cookies, server.App.Services, age);

    public CookieContainer CookieJar => _cookies;

    public bool HasDeskCookie(string tenant) =>
        _cookies.GetCookies(new Uri($"{server.BaseUrl}/{tenant}/desk/")).Any(c => c.Name == "idcontact.desk");

    public void Dispose() => _client?.Dispose();
}

public sealed class OidcSignInTests(OidcDeskServer desk) : IClassFixture<OidcDeskServer>
{
    [Fact]
    public async Task An_agent_signs_in_with_the_municipalitys_provider_without_the_desks_password_steps()
    {
        // Named as the administrator typed it; the provider sends it in other capitals. A handed-out password and TOTP
        // are the desk password's steps: the provider is in charge of both.
        await desk.CreateAgentAsync(desk.TenantA, "Marie.Jansen@gemeente-a.example", totp: true);
        desk.ProviderA.UserName = "marie.jansen@GEMEENTE-A.example";
        using var browser = new OidcBrowser(desk.Server);

        Assert.Contains("Inloggen met A-account", await browser.Client.GetStringAsync($"/{desk.TenantA}/desk/login"));
        var landed = await browser.SignInWithProviderAsync(desk.TenantA, $"/{desk.TenantA}/desk/account");
        var text = await landed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains($"url=/{desk.TenantA}/desk/account", text);
        Assert.True(browser.HasDeskCookie(desk.TenantA));

        var overview = await browser.Client.GetAsync($"/{desk.TenantA}/desk");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Medewerker Marie.Jansen@gemeente-a.example", await overview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync($"/{desk.TenantA}/desk/account")).StatusCode);

        // A minute on, the security stamp check rebuilds the session: it still began at the provider.
        browser.AgeSignIn(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync($"/{desk.TenantA}/desk/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync($"/{desk.TenantA}/desk")).StatusCode);
    }

    /// <summary>
    /// Host header poisoning: the redirect_uri the provider is asked to send the code to is the configured PublicUrl's,
    /// never built from a Host (or X-Forwarded-Host) the request names.
    /// </summary>
    [Fact]
    public async Task The_providers_redirect_uri_comes_from_the_public_url_not_the_host_header()
    {
        using var browser = new OidcBrowser(desk.Server);
        var field = AntiforgeryForm.FieldOf(await browser.Client.GetStringAsync($"/{desk.TenantA}/desk/login"), "the sign-in page");
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/{desk.TenantA}/desk/login/oidc") { Content = new FormUrlEncodedContent([field]) };
        post.Headers.Host = "attacker.example";
        post.Headers.Add("X-Forwarded-Host", "attacker.example");
        var challenge = await browser.Client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(challenge.Headers.Location!.Query);
        var publicUrl = desk.Server.App.Services.GetRequiredService<IdContact.Hosting.PublicUrls>().Base;
        Assert.Equal($"{publicUrl}/{desk.TenantA}/desk/oidc/callback", query["redirect_uri"]);
    }

    [Fact]
    public async Task An_agent_signed_in_with_the_provider_reaches_the_agents_hubs_without_choosing_a_desk_password()
    {
        // The account still has its handed-out desk password, which the hubs refuse as the pages do (AgentHubAccess);
        // after the provider that password is not in use, so neither pages nor hubs wait for it.
        var agent = await desk.CreateAgentAsync(desk.TenantA, "hub.oidc@gemeente-a.example");
        Assert.True(agent.MustChangePassword);
        desk.ProviderA.UserName = "hub.oidc@gemeente-a.example";
        using var browser = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantA)).StatusCode);

        var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/hub", o => o.Cookies = browser.CookieJar).Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();
        await hub.InvokeAsync("Renew");
        await hub.InvokeAsync("Renew");
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task Someone_without_an_account_at_this_municipality_gets_a_page_and_no_cookie_and_a_locked_account_stays_locked()
    {
        desk.ProviderA.UserName = "nobody@gemeente-a.example";
        using var stranger = new OidcBrowser(desk.Server);
        var refused = await stranger.SignInWithProviderAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Er is geen account voor u bij deze gemeente; vraag uw beheerder.", await refused.Content.ReadAsStringAsync());
        Assert.False(stranger.HasDeskCookie(desk.TenantA));
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.Client.GetAsync($"/{desk.TenantA}/desk")).StatusCode);

        await desk.CreateAgentAsync(desk.TenantA, "locked@gemeente-a.example");
        await DeskAgent.LockAsync(desk.Databases, desk.TenantA, "locked@gemeente-a.example");
        desk.ProviderA.UserName = "locked@gemeente-a.example";
        using var locked = new OidcBrowser(desk.Server);
        await locked.Client.GetAsync($"/{desk.TenantA}/desk/login?lang=en"); // the language switch's cookie
        var lockedOut = await locked.SignInWithProviderAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.Forbidden, lockedOut.StatusCode);
        Assert.Contains("This account is locked for a while", await lockedOut.Content.ReadAsStringAsync());
        Assert.False(locked.HasDeskCookie(desk.TenantA));
    }

    [Fact]
    public async Task Another_municipalitys_provider_or_callback_never_signs_into_this_one()
    {
        // Kees has an account at A only. B's provider knows him, but B has no account for him.
        await desk.CreateAgentAsync(desk.TenantA, "kees");
        desk.ProviderB.UserName = "kees";
        using var atB = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.Forbidden, (await atB.SignInWithProviderAsync(desk.TenantB)).StatusCode);
        Assert.False(atB.HasDeskCookie(desk.TenantA));
        Assert.False(atB.HasDeskCookie(desk.TenantB));

        // B's provider's answer (code and state for B's scheme) taken to A's callback: refused, no cookie for A.
        using var bent = new OidcBrowser(desk.Server)
        {
            Bend = uri => uri.AbsolutePath == $"/{desk.TenantB}/desk/oidc/callback"
                ? new Uri(uri.ToString().Replace($"/{desk.TenantB}/", $"/{desk.TenantA}/", StringComparison.Ordinal))
                : uri,
        };
        var replayed = await bent.SignInWithProviderAsync(desk.TenantB);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Contains("Inloggen met A-account is niet gelukt", await replayed.Content.ReadAsStringAsync());
        Assert.False(bent.HasDeskCookie(desk.TenantA));

        // Signed in at A with A's provider, the browser has nothing for B.
        desk.ProviderA.UserName = "kees";
        using var atA = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await atA.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await atA.Client.GetAsync($"/{desk.TenantA}/desk")).StatusCode);
        Assert.False(atA.HasDeskCookie(desk.TenantB));
        Assert.Equal(HttpStatusCode.Redirect, (await atA.Client.GetAsync($"/{desk.TenantB}/desk")).StatusCode);
    }

    [Fact]
    public async Task Without_password_sign_in_the_form_is_gone_and_the_password_endpoints_refuse()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "piet");
        using var browser = new OidcBrowser(desk.Server);
        var page = await browser.Client.GetStringAsync($"/{desk.TenantB}/desk/login");
        Assert.Contains("Inloggen met B-account", page);
        Assert.DoesNotContain("name=\"password\"", page);

        var field = AntiforgeryForm.FieldOf(page, "B's sign-in page");
        var password = await browser.Client.PostAsync($"/{desk.TenantB}/desk/login",
            new FormUrlEncodedContent([field, new("userName", "piet"), new("password", DeskAgent.Password)]));
        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
        Assert.False(browser.HasDeskCookie(desk.TenantB));

        desk.ProviderB.UserName = "PIET";
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantB)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync($"/{desk.TenantB}/desk")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync($"/{desk.TenantB}/desk/password")).StatusCode);

        // C has no provider: no button, and its provider endpoints are 404 problems.
        var c = await browser.Client.GetStringAsync($"/{desk.TenantC}/desk/login");
        Assert.DoesNotContain("Inloggen met", c);
        Assert.Contains("name=\"password\"", c);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/{desk.TenantC}/desk/oidc/callback?code=x&state=y")).StatusCode);
    }

    [Fact]
    public async Task Where_agents_sign_in_only_at_the_provider_the_admin_page_hands_out_no_password()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "beheer-b", isAdmin: true);
        desk.ProviderB.UserName = "beheer-b";
        using var browser = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantB)).StatusCode);

        // No password to reset, and a new account's (random, unused) password is not shown: the provider names them.
        var page = await browser.Client.GetStringAsync($"/{desk.TenantB}/desk/admin");
        Assert.Contains("data-agent=\"beheer-b\"", page);
        Assert.DoesNotContain("Wachtwoord herstellen", page);
        var created = await browser.Client.PostAsync($"/{desk.TenantB}/desk/admin/agents", new FormUrlEncodedContent(
            [AntiforgeryForm.FieldOf(page, "B's admin page"), new("userName", "nieuw-b@gemeente-b.example"), new("displayName", "Nieuw")]));
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        var shown = await browser.Client.GetAsync(created.Headers.Location);
        var text = System.Net.WebUtility.HtmlDecode(await shown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Aangemaakt: nieuw-b@gemeente-b.example. Die medewerker logt in met B-account, onder die naam.", text);
        Assert.DoesNotContain("one-time-password", text);
        Assert.DoesNotContain("Eenmalig wachtwoord", text);

        // A reset asked for all the same is refused; the account keeps its password hash untouched.
        var agent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantB, "nieuw-b@gemeente-b.example"))!;
        var reset = await browser.Client.PostAsync($"/{desk.TenantB}/desk/admin/agents/{agent.Id}/reset",
            new FormUrlEncodedContent([AntiforgeryForm.FieldOf(text, "B's admin page")]));
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Equal(agent.PasswordHash, (await DeskAgent.FindAsync(desk.Databases, desk.TenantB, agent.UserName!))!.PasswordHash);

        // A municipality with passwords keeps both (A allows them beside its provider).
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "beheer-a", isAdmin: true);
        desk.ProviderA.UserName = "beheer-a";
        using var atA = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await atA.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        Assert.Contains("Wachtwoord herstellen", await atA.Client.GetStringAsync($"/{desk.TenantA}/desk/admin"));
    }

    [Fact]
    public async Task Sign_ins_and_refusals_log_no_claim_code_or_state()
    {
        await desk.CreateAgentAsync(desk.TenantA, "log-known@gemeente-a.example");
        var callbacks = new List<Uri>();
        foreach (var user in new[] { "log-known@gemeente-a.example", "log-stranger@gemeente-a.example", null })
        {
            desk.ProviderA.UserName = user;
            using var browser = new OidcBrowser(desk.Server) { Bend = uri => { callbacks.Add(uri); return uri; } };
            await browser.SignInWithProviderAsync(desk.TenantA);
        }

        var logs = string.Join("\n", desk.Logs.Messages);
        Assert.Contains("signed in with the identity provider", logs);
        Assert.Contains("failed: ", logs);
        Assert.DoesNotContain("log-known", logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("log-stranger", logs, StringComparison.OrdinalIgnoreCase);
        var answers = callbacks.Where(u => u.AbsolutePath.EndsWith("/oidc/callback", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, answers.Count);
        foreach (var (name, value) in answers.SelectMany(u => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(u.Query))
            .Where(p => p.Key is "code" or "state").Select(p => (p.Key, p.Value.ToString())))
        {
            Assert.False(logs.Contains(value, StringComparison.Ordinal), $"the {name} of a callback is in the log");
        }
    }

    [Fact]
    public async Task A_refused_or_forged_callback_is_a_page_never_a_500()
    {
        desk.ProviderA.UserName = null; // the user says no at the provider: error=access_denied
        using var browser = new OidcBrowser(desk.Server);
        var denied = await browser.SignInWithProviderAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.BadRequest, denied.StatusCode);
        Assert.Contains("Inloggen met A-account is niet gelukt", await denied.Content.ReadAsStringAsync());
        Assert.False(browser.HasDeskCookie(desk.TenantA));

        foreach (var query in new[] { "", "?code=forged&state=forged", "?error=access_denied&state=x", "?code=x&state=" + new string('A', 5000) })
        {
            var forged = await browser.Client.GetAsync($"/{desk.TenantA}/desk/oidc/callback{query}");
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("is niet gelukt", await forged.Content.ReadAsStringAsync());
        }

        // A provider that does not answer: a page saying so, not an error.
        using var atD = new OidcBrowser(desk.Server);
        var down = await atD.SignInWithProviderAsync(desk.TenantD);
        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
        Assert.Contains("D-account is nu niet bereikbaar", await down.Content.ReadAsStringAsync());

        // The callback answers a GET (response_mode=query); a form post there is refused the same way.
        var posted = await browser.Client.PostAsync($"/{desk.TenantA}/desk/oidc/callback", new FormUrlEncodedContent([new("code", "x"), new("state", "y")]));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var put = await browser.Client.PutAsync($"/{desk.TenantA}/desk/oidc/callback?code=x&state=y", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.False(browser.HasDeskCookie(desk.TenantA));
    }

    [Fact]
    public async Task Provider_sign_ins_sign_outs_and_refusals_are_in_the_admin_audit_and_a_strangers_name_is_not()
    {
        var before = await AdminAuditTrail.LastIdAsync(desk.Databases, desk.TenantA);
        const string name = "audit-oidc@gemeente-a.example";
        await desk.CreateAgentAsync(desk.TenantA, name);
        desk.ProviderA.UserName = name;
        using (var browser = new OidcBrowser(desk.Server))
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantA)).StatusCode);
            var overview = await browser.Client.GetStringAsync($"/{desk.TenantA}/desk");
            var signedOut = await browser.Client.PostAsync($"/{desk.TenantA}/desk/logout", new FormUrlEncodedContent([AntiforgeryForm.FieldOf(overview, "A's overview")]));
            Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        }

        await DeskAgent.LockAsync(desk.Databases, desk.TenantA, name);
        using (var locked = new OidcBrowser(desk.Server))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await locked.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        }

        desk.ProviderA.UserName = "audit-stranger@gemeente-a.example";
        using (var stranger = new OidcBrowser(desk.Server))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await stranger.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        }

        await using var db = desk.Databases.Open(desk.TenantA);
        var trail = await db.AdminAudit.Where(r => r.Id > before && AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(
            [(AdminActions.SignIn, "oidc"), (AdminActions.SignOut, null), (AdminActions.SignInRefused, "oidc")],
            trail.Where(r => r.AgentName == name).Select(r => (r.Action, r.Detail)).ToList<(string, string?)>());
        Assert.All(trail.Where(r => r.AgentName == name), r => Assert.Equal(name, r.AdminName));
        var unknown = Assert.Single(trail, r => r.AgentName.Length == 0);
        Assert.Equal((AdminActions.SignInFailed, SignInSteps.UnknownUser, ""), (unknown.Action, unknown.Detail, unknown.AdminName));
        Assert.DoesNotContain("audit-stranger", JsonSerializer.Serialize(await db.AdminAudit.ToListAsync()), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Where_agents_sign_in_only_at_the_provider_the_account_page_offers_no_authenticator_app()
    {
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "totp-b");
        desk.ProviderB.UserName = "totp-b";
        using var browser = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInWithProviderAsync(desk.TenantB)).StatusCode);

        var page = await browser.Client.GetStringAsync($"/{desk.TenantB}/desk/account");
        Assert.Contains("U logt in met B-account, dat ook om de tweede stap vraagt", page);
        Assert.DoesNotContain("totp-key", page);
        Assert.DoesNotContain("data:image/png", page);
        Assert.Null(await DeskAgent.AuthenticatorKeyAsync(desk.Databases, desk.TenantB, "totp-b"));

        var field = AntiforgeryForm.FieldOf(await browser.Client.GetStringAsync($"/{desk.TenantB}/desk"), "B's overview");
        foreach (var (path, form) in new[] { ("totp", new("code", "123456")), ("totp/disable", new KeyValuePair<string, string>("password", DeskAgent.Password)) })
        {
            var refused = await browser.Client.PostAsync($"/{desk.TenantB}/desk/account/{path}", new FormUrlEncodedContent([field, form]));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("No desk passwords", await refused.Content.ReadAsStringAsync());
        }

        Assert.False((await DeskAgent.FindAsync(desk.Databases, desk.TenantB, "totp-b"))!.TwoFactorEnabled);

        // A municipality with passwords beside its provider still offers the app.
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "totp-a");
        desk.ProviderA.UserName = "totp-a";
        using var atA = new OidcBrowser(desk.Server);
        Assert.Equal(HttpStatusCode.OK, (await atA.SignInWithProviderAsync(desk.TenantA)).StatusCode);
        Assert.Contains("totp-key", await atA.Client.GetStringAsync($"/{desk.TenantA}/desk/account"));
    }

    [Fact]
    public async Task The_providers_callback_is_rate_limited_per_address()
    {
        var tenant = "ol" + Guid.NewGuid().ToString("N")[..8];
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-oidc-limit-{tenant}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Sqlite" },
            Tenants = new Dictionary<string, object>
            {
                [tenant] = new { DisplayName = "Gemeente L", Desk = new { SignIn = new { Oidc = new { Authority = desk.ProviderA.Authority, ClientId = "desk-l", Label = "L-account" } } } },
            },
        }));
        try
        {
            await using var server = await RunningServer.StartAsync("--config", config, "--RateLimits:LoginPerMinute", "2");
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                statuses.Add((await server.Client.GetAsync($"/{tenant}/desk/oidc/callback?code=forged&state=forged")).StatusCode);
            }

            // The return from signing out at the provider counts against the same limit.
            statuses.Add((await server.Client.GetAsync($"/{tenant}/desk/oidc/signed-out?state=forged")).StatusCode);
            Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>
    /// A provider that is down holds the sign-in button and the sign-out only as long as the back-channel timeout:
    /// configured per municipality, 10 s by default instead of .NET's 60 s. Read from the handler as it runs.
    /// </summary>
    [Fact]
    public void The_handlers_back_channel_waits_as_long_as_configured_ten_seconds_by_default()
    {
        var handlers = desk.Server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>>();
        var byDefault = handlers.Get(SignIn.OidcSignIn.Scheme(desk.TenantD));
        Assert.Equal(TimeSpan.FromSeconds(10), byDefault.BackchannelTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), byDefault.Backchannel.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(TestIdentityProvider.PatientSeconds), handlers.Get(SignIn.OidcSignIn.Scheme(desk.TenantA)).Backchannel.Timeout);
    }
}
