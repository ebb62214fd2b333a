using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Admin;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// deploy/nginx-idcontact.conf in front of two instances (deploy/two-instances.md) with a real nginx over HTTPS: the
/// public URLs, the https scheme, the agent overview's WebSocket and the forwarded client address all pass through.
/// </summary>
public class ReverseProxyTests(Browser browser) : IClassFixture<Browser>
{
    private const string ExchangeKey = "proxy-exchange-key-0123456789abcd";

    [NginxFact]
    public async Task Through_the_deploy_nginx_conf_the_phone_flow_the_live_overview_and_the_client_address_work()
    {
        var ports = NginxProxy.FreePorts();
        var publicUrl = $"https://127.0.0.1:{ports.Https}";
        await using var instances = await TwoInstances.StartAsync(
            "proxy",
            new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" },
            new { PhoneNumber = "+31301234567", ExchangeApiKey = ExchangeKey },
            null,
            "--PublicUrl", publicUrl, "--TrustedProxies:0", "127.0.0.1", "--RateLimits:ExchangePerMinute", "3",
            "--Desk:AgentRefreshSeconds", "3600"); // no periodic refresh during the test: only the push can show the contact
        await using var proxy = await NginxProxy.StartAsync(ports, [Upstream(instances.First), Upstream(instances.Second)]);
        var tenant = instances.Tenant;
        var options = instances.First.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, _) = await AdminBootstrap.CreateAdminAsync(options, tenant, "eva", "Eva", "201");

        // (b) The agent signs in through the proxy; the overview's SignalR connection must be a WebSocket through nginx.
        await using var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL", IgnoreHTTPSErrors = true });
        var agent = await context.NewPageBoundedAsync();
        var sockets = new List<IWebSocket>();
        var fallbacks = new List<string>();
        agent.WebSocket += (_, socket) => sockets.Add(socket);
        agent.Request += (_, request) =>
        {
            // Long polling and server-sent events are plain requests carrying the connection id.
            if (request.Url.Contains("/desk/hub?id=", StringComparison.Ordinal))
            {
                fallbacks.Add(request.Url);
            }
        };
        await agent.GotoAsync($"{publicUrl}/{tenant}/desk/login");
        await agent.GetByLabel("Gebruikersnaam").FillAsync("eva");
        await agent.GetByLabel("Wachtwoord").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
        await agent.GetByLabel("Nieuw wachtwoord").FillAsync("proxy-wachtwoord-2026");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#contacts")).ToContainTextAsync("Geen binnenkomende contacten");
        // Pushes arrive once the page's hub connection stands (the page marks it).
        await agent.WaitForLiveAsync(60_000);

        // The server saw https (X-Forwarded-Proto): the demo's "same as request" cookies are Secure.
        var cookies = await context.CookiesAsync();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.True(cookie.Secure, $"cookie {cookie.Name} is not Secure: the server did not see https"));

        // (a) A phone flow through the proxy: the URLs the server hands out are the proxy's.
        using var client = proxy.Client();
        using var start = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/phone/start_communication") { Content = JsonContent.Create(new { purpose = "report_move" }) };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningServer.PluginKey);
        using var started = await client.SendAsync(start);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"{publicUrl}/{tenant}/", session.GetProperty("attr_url").GetString(), StringComparison.Ordinal);
        var code = session.GetProperty("client_url").GetString()!.Split(",,")[1];
        using var identified = await client.SendAsync(Identify(tenant, code, "proxy-1"));
        var matched = await identified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("matched", matched.GetProperty("result").GetString());

        // The contact comes by the push (the periodic refresh is an hour away), over the WebSocket.
        await Assertions.Expect(agent.Locator("article.contact")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        var hub = sockets.Where(s => s.Url.Contains("/desk/hub", StringComparison.Ordinal)).ToList();
        Assert.True(hub.Count > 0, "the overview opened no WebSocket through nginx");
        Assert.StartsWith($"wss://127.0.0.1:{ports.Https}/", hub[0].Url, StringComparison.Ordinal);
        Assert.False(hub[0].IsClosed, "the overview's WebSocket through nginx was closed");
        Assert.Empty(fallbacks);

        // Monitoring pages are not for the internet, whatever their spelling.
        using var metrics = await client.GetAsync("/METRICS/");
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        // nginx's own answers do not name its version (server_tokens off): nothing to look up a known hole by.
        Assert.DoesNotContain("nginx/", metrics.Headers.Server.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("nginx/", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // (c) Limits count per client address as nginx forwards it: 127.0.0.2 spends its budget (3 a minute) ...
        using var second = proxy.Client("127.0.0.2");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await second.SendAsync(Identify(tenant, "000000", $"proxy-2-{i}", key: "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var limited = await second.SendAsync(Identify(tenant, "000000", "proxy-2-limited", key: "wrong"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        // ... a header of its own naming another address is replaced by nginx, not believed ...
        var spoofed = Identify(tenant, "000000", "proxy-2-spoofed", key: "wrong");
        spoofed.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var stillLimited = await second.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);

        // ... while 127.0.0.3, behind the same proxy, has its own.
        using var third = proxy.Client("127.0.0.3");
        using var own = await third.SendAsync(Identify(tenant, "000000", "proxy-3", key: "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, own.StatusCode);
    }

    /// <summary>
    /// A browser without Sec-Fetch-Site (Safari before 16.4) is judged by its Origin, which names the port it used: nginx
    /// must pass the port on in Host (until 2026-11-28 "Host $host" dropped it, so such a resident's own form was a 403).
    /// </summary>
    [NginxFact]
    public async Task Through_the_deploy_nginx_conf_on_another_port_than_443_an_older_browsers_same_origin_form_is_taken()
    {
        var ports = NginxProxy.FreePorts();
        await using var server = await RunningServer.StartAsync();
        await using var proxy = await NginxProxy.StartAsync(ports, [Upstream(server)]);
        using var client = proxy.Client();

        using var own = await client.SendAsync(OlderBrowserPost(proxy.BaseUrl));
        Assert.NotEqual(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.DoesNotContain("Cross-site form", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The check still holds behind the proxy: another site's form, and the same host on another port, are refused.
        using var foreign = await client.SendAsync(OlderBrowserPost("https://attacker.example"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        using var otherPort = await client.SendAsync(OlderBrowserPost("https://127.0.0.1"));
        Assert.Equal(HttpStatusCode.Forbidden, otherPort.StatusCode);
    }

    /// <summary>The web-code page's form (same-origin posts only) as an older browser sends it: Origin, no Sec-Fetch-Site.</summary>
    private static HttpRequestMessage OlderBrowserPost(string origin) =>
        new(HttpMethod.Post, "/arnhem/id")
        {
            Content = new FormUrlEncodedContent([new("code", "12345678")]),
            Headers = { { "Origin", origin } },
        };

    [SystemdFact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify()
    {
        var directory = Directory.CreateTempSubdirectory("idcontact-unit-").FullName;
        try
        {
            var unit = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(NginxProxy.ConfPath)!, "idcontact.service"));
            // verify checks that ExecStart's program exists: use this machine's dotnet where it is not at Debian's path.
            if (!File.Exists("/usr/bin/dotnet"))
            {
                unit = unit.Replace("/usr/bin/dotnet", DotnetHost(), StringComparison.Ordinal);
            }

            var path = Path.Combine(directory, "idcontact.service");
            await File.WriteAllTextAsync(path, unit);
            var start = new ProcessStartInfo("systemd-analyze") { ArgumentList = { "verify", path }, RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            // An unknown or unparsable directive is only a warning (exit 0): any output at all fails.
            Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"systemd-analyze verify: exit {process.ExitCode}: {output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The sandboxing that costs a .NET web server nothing (docs/security.md, round 4): systemd's own exposure score of
    /// the unit stays at 3.0 or below (it was 7.3 with ProtectSystem and NoNewPrivileges alone).
    /// </summary>
    [SystemdFact]
    public async Task The_systemd_unit_sandboxes_the_service()
    {
        var start = new ProcessStartInfo("systemd-analyze")
        {
            ArgumentList = { "security", "--offline=true", "--threshold=30", Path.Combine(Path.GetDirectoryName(NginxProxy.ConfPath)!, "idcontact.service") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"systemd-analyze security: exit {process.ExitCode}: {output}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet");

    private static string Upstream(RunningServer server) => new Uri(server.BaseUrl).Authority;

    private static HttpRequestMessage Identify(string tenant, string code, string callId, string key = ExchangeKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/identify") { Content = JsonContent.Create(new { code, call_id = callId }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}

/// <summary>A test that needs systemd-analyze: skipped, with the reason, where it is not installed.</summary>
public sealed class SystemdFactAttribute : FactAttribute
{
    public SystemdFactAttribute()
    {
        if (!new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.Any(File.Exists))
        {
            Skip = "systemd-analyze is not installed (package systemd); the unit file is not verified here.";
        }
    }
}
