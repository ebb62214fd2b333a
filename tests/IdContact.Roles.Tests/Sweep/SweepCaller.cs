using System.Net;
using System.Net.Http.Headers;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>Who sends the sweep's requests: a stranger, our core with its keys, or a signed-in account of tenant A.</summary>
public sealed class SweepCaller : IDisposable
{
    private readonly Func<string, string?> _bearer;

    private SweepCaller(string name, RunningServer server, Func<string, string?> bearer, bool signedIn)
    {
        Name = name;
        SignedIn = signedIn;
        _bearer = bearer;
        // An oversized body is announced with Expect: 100-continue and sent only when the server asks for it: Kestrel refuses
        // it first, so the answer arrives whole instead of racing the upload (a broken pipe is no answer to check).
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = Cookies,
            UseCookies = true,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = new Uri(server.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string Name { get; }

    public bool SignedIn { get; }

    public HttpClient Client { get; }

    /// <summary>The caller's cookie jar, for its hub connections.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>The antiforgery form field of a page this caller opened (behind the sign-in, for an account).</summary>
    public (string Field, string Token)? Antiforgery { get; private set; }

    public static SweepCaller Anonymous(RunningServer server) => new("anonymous", server, _ => null, false);

    /// <summary>
    /// A stranger who opened a page with a form first: its antiforgery token, tied to no account, lets bad fields reach
    /// the residents' form handlers (booking, chat, web code) instead of stopping at the antiforgery check.
    /// </summary>
    public static async Task<SweepCaller> StrangerAsync(RunningServer server, string tenant)
    {
        var caller = Anonymous(server);
        caller.Antiforgery = await caller.FormTokenAsync($"/{tenant}/desk/login");
        return caller;
    }

    /// <summary>
    /// This installation's core, with the demo's plugin key (and the exchange's key on its routes): bad bodies then reach
    /// the plugins' and the exchange's own checks instead of stopping at the 401.
    /// </summary>
    public static SweepCaller Core(RunningServer server) => new(
        "core-with-keys", server, path => path.Contains("/exchange/", StringComparison.Ordinal) ? Hosting.DemoConfiguration.DemoExchangeKey : RunningServer.PluginKey, false);

    /// <summary>A new plain agent of <paramref name="tenant"/>, signed in with a cookie.</summary>
    public static async Task<SweepCaller> AgentAsync(RunningServer server, string tenant)
    {
        string password;
        await using (var identity = new OfflineIdentity(server.App.Services.GetRequiredService<TenantDatabases>(), tenant))
        {
            var (agent, oneTime, errors) = await AgentAccounts.CreateAsync(identity.Users, "sweep-agent", "Sweep agent", "299", null);
            Assert.True(agent is not null, string.Join(" ", errors));
            agent.MustChangePassword = false;
            await identity.Users.UpdateAsync(agent);
            password = oneTime!;
        }

        return await SignInAsync(new("agent", server, _ => null, true), tenant, "sweep-agent", password);
    }

    /// <summary>The demo's administrator of <paramref name="tenant"/>.</summary>
    public static async Task<SweepCaller> AdminAsync(RunningServer server, string tenant)
    {
        var options = server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.IdContactOptions>>().Value;
        return await SignInAsync(new("admin", server, _ => null, true), tenant, "demo", DemoAgents.ReadPasswords(options)[tenant]);
    }

    private static async Task<SweepCaller> SignInAsync(SweepCaller caller, string tenant, string userName, string password)
    {
        var login = await caller.FormTokenAsync($"/{tenant}/desk/login");
        var response = await caller.Client.PostAsync($"/{tenant}/desk/login", new FormUrlEncodedContent(
            [new("userName", userName), new("password", password), new(login.Field, login.Token)]));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        // Antiforgery tokens carry the account: read one from a page behind the sign-in.
        caller.Antiforgery = await caller.FormTokenAsync($"/{tenant}/desk/password");
        return caller;
    }

    private async Task<(string Field, string Token)> FormTokenAsync(string page)
    {
        var (field, token) = AntiforgeryForm.FieldOf(await Client.GetStringAsync(page), page);
        return (field, token);
    }

    public Task<HttpResponseMessage> SendAsync(string method, string pathAndQuery, HttpContent? body, bool oversized, CancellationToken ct)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery) { Content = body };
        request.Headers.ExpectContinue = oversized;
        request.Headers.ConnectionClose = oversized;
        var key = _bearer(pathAndQuery);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return Client.SendAsync(request, ct);
    }

    public void Dispose() => Client.Dispose();
}
