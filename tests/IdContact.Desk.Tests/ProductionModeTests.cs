using IdContact.Protocol.Keys;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>The desk outside demo mode, served over https as in production.</summary>
public sealed class ProductionModeTests
{
    [Fact]
    public async Task Outside_demo_mode_cookies_are_secure_and_hsts_is_on()
    {
        var (server, url) = await StartAsync();
        await using var _ = server;
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();

        // Secure even for a request that reached the app over http (behind a TLS-terminating proxy).
        var http = new DefaultHttpContext { Request = { Scheme = "http" } };
        var cookies = server.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();
        Assert.True(cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Build(http).Secure);
        Assert.True(cookies.Get(IdentityConstants.TwoFactorUserIdScheme).Cookie.Build(http).Secure);
        Assert.True(server.App.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Build(http).Secure);

        // The web-code page's browser cookie too (until 2026-11-28 only over https as the app saw it).
        var codePage = new DefaultHttpContext { RequestServices = server.App.Services, Request = { Scheme = "http", RouteValues = { ["tenant"] = "prod" } } };
        Phone.WebCodeBrowser.Ensure(codePage);
        Assert.Contains("; secure", codePage.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        using var browser = new DeskAgent(new Uri(url), "prod");

        // HSTS is only sent over https and never for localhost names, so ask under a real host name.
        using var named = new HttpRequestMessage(HttpMethod.Get, "/prod/desk/login") { Headers = { Host = "idcontact.example.nl" } };
        var login = await browser.Client.SendAsync(named);
        Assert.StartsWith("max-age=", Assert.Single(login.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("; secure", SetCookie(login, "idcontact.af"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", SetCookie(await browser.GetAsync("/desk/login?lang=en"), Hosting.LanguageExtensions.CookieName), StringComparison.OrdinalIgnoreCase);

        await DeskAgent.CreateAsync(databases, "prod", "secure-agent");
        var signedIn = await browser.SignInAsync("secure-agent");
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("; secure", SetCookie(signedIn, "idcontact.desk"), StringComparison.OrdinalIgnoreCase);

        await DeskAgent.CreateAsync(databases, "prod", "secure-totp", totp: true);
        using var second = new DeskAgent(new Uri(url), "prod");
        Assert.Contains("; secure", SetCookie(await second.SignInAsync("secure-totp"), "Identity.TwoFactorUserId"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_form_page_asked_over_plain_http_says_https_is_needed_instead_of_a_500()
    {
        // A proxy missing from TrustedProxies (or sending no X-Forwarded-Proto): the request reaches the app as http.
        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var (server, _) = await StartAsync("--urls", url);
        await using var _ = server;
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        var login = await client.GetAsync("/prod/desk/login");
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("alleen via https", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_answer_carries_hsts_too()
    {
        var (server, url) = await StartAsync("--RateLimits:BookingPerMinute", "1");
        await using var _ = server;
        using var browser = new DeskAgent(new Uri(url), "prod");

        // The limiter answers before the endpoint: until 2026-11-27 also before HSTS, so a 429 came without it.
        HttpResponseMessage last = null!;
        for (var i = 0; i < 2; i++)
        {
            using var named = new HttpRequestMessage(HttpMethod.Get, "/prod/video/book/unknown") { Headers = { Host = "idcontact.example.nl" } };
            last = await browser.Client.SendAsync(named);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(last.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task A_503_while_the_database_is_away_still_carries_hsts_and_the_pages_headers()
    {
        // PostgreSQL behind a relay the test stops (as DatabaseOutageTests), unpooled: every request opens its own connection.
        var target = new NpgsqlConnectionStringBuilder(DeskServer.Postgres);
        await using var relay = TcpRelay.Start(target.Host!, target.Port);
        (target.Port, target.Pooling) = (relay.Port, false);
        var tenant = "prod" + Guid.NewGuid().ToString("N")[..8];
        await using var databases = new TestPostgres(tenant);
        var (server, url) = await StartForAsync(tenant,
            "--Desk:DatabaseProvider", "Postgres", "--Desk:PostgresConnectionString", target.ConnectionString,
            "--Desk:InstallationDatabase", databases.InstallationDatabase);
        await using var _ = server;
        using var browser = new DeskAgent(new Uri(url), tenant);

        relay.Stop();
        // The exception handler clears the headers before StoreUnavailable's 503: until 2026-11-28 HSTS went with them.
        using var named = new HttpRequestMessage(HttpMethod.Get, $"/{tenant}/video/book/{new string('x', 43)}") { Headers = { Host = "idcontact.example.nl" } };
        var failed = await browser.Client.SendAsync(named);
        relay.Resume();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(failed.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("no-referrer", Assert.Single(failed.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(failed.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    /// <summary>A desk outside demo mode over https, keys and certificate configured as in production.</summary>
    private static Task<(RunningServer Server, string Url)> StartAsync(params string[] extra) => StartForAsync("prod", extra);

    private static async Task<(RunningServer Server, string Url)> StartForAsync(string tenant, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("idcontact-prod-").FullName;
        var (config, certificate) = (Path.Combine(dir, "config.json"), Path.Combine(dir, "tls.pfx"));
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Roles = "desk",
            // Outside demo mode nothing is generated: the keys are configured, as in production.
            Desk = new
            {
                DecryptionKey = PrivateKey.Generate(KeyType.Rsa).ToConfig(),
                VerificationKeys = new[] { PrivateKey.Generate(KeyType.Rsa).PublicKey.ToConfig() },
                Mail = new { Host = "smtp.example.nl", Port = 587, From = "noreply@gemeente.example" },
            },
            Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant(DeskServer.KeyA, "+31203333333") },
        }));
        await File.WriteAllBytesAsync(certificate, SelfSigned());
        var url = $"https://127.0.0.1:{RunningServer.FreePort()}";
        var server = await RunningServer.StartAsync(
        [
            "--config", config, "--Demo", "false", "--urls", url,
            "--Kestrel:Certificates:Default:Path", certificate, "--Kestrel:Certificates:Default:Password", "test", .. extra,
        ]);
        Directory.Delete(dir, recursive: true); // Both files are read at start-up.
        return (server, url);
    }

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) && values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new InvalidOperationException($"no {name} cookie set");

    private static byte[] SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=idcontact.example.nl", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, "test");
    }
}
