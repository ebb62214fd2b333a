using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>One agent's browser, reduced to a cookie jar and forms with their antiforgery token.</summary>
/// <param name="from">The loopback address its connections come from (any of 127.0.0.0/8 on Linux); null: the system's choice.</param>
public sealed partial class DeskAgent(Uri baseAddress, string tenant, IPAddress? from = null) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _client;

    public const string Password = "een-eigen-wachtwoord-2026";

    public HttpClient Client => _client ??= new HttpClient(from is null
        ? new HttpClientHandler
        {
            CookieContainer = _cookies,
            AllowAutoRedirect = false,
            // The https test server has a self-signed certificate.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        }
        : new SocketsHttpHandler { CookieContainer = _cookies, AllowAutoRedirect = false, ConnectCallback = ConnectFromAsync })
    { BaseAddress = baseAddress };

    /// <summary>A connection bound to <c>from</c>, so the server sees another client address.</summary>
    private async ValueTask<Stream> ConnectFromAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from!, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public string Tenant => tenant;

    public static DeskAgent For(DeskServer desk, string tenant, IPAddress? from = null) => new(new Uri(desk.Server.BaseUrl), tenant, from);

    /// <summary>Creates an agent with <see cref="Password"/> who need not choose another one; <paramref name="role"/> wins over <paramref name="isAdmin"/>.</summary>
    public static async Task CreateAsync(TenantDatabases databases, string tenant, string userName, bool isAdmin = false, bool totp = false, string? key = null, string? role = null)
    {
        await using var identity = new OfflineIdentity(databases, tenant);
        var (agent, _, errors) = await AgentAccounts.CreateAsync(identity.Users, userName, userName, "201", role ?? (isAdmin ? AgentAuthorization.AdminRole : null));
        Assert.True(agent is not null, string.Join(" ", errors));
        agent.MustChangePassword = false;
        await identity.Users.UpdateAsync(agent);
        await identity.Users.RemovePasswordAsync(agent);
        await identity.Users.AddPasswordAsync(agent, Password);
        if (totp)
        {
            await identity.Users.ResetAuthenticatorKeyAsync(agent);
            await identity.Users.SetTwoFactorEnabledAsync(agent, true);
        }
    }

    /// <summary>Creates the agent (unless it exists) with <paramref name="role"/> (null: a plain agent) and signs in.</summary>
    public static async Task<DeskAgent> SignedInAsync(DeskServer desk, string tenant, string userName, string? role)
    {
        if (await FindAsync(desk.Databases, tenant, userName) is null)
        {
            await CreateAsync(desk.Databases, tenant, userName, role: role);
        }

        var agent = For(desk, tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(userName)).StatusCode);
        return agent;
    }

    public static async Task<string> AuthenticatorKeyAsync(TenantDatabases databases, string tenant, string userName)
    {
        await using var identity = new OfflineIdentity(databases, tenant);
        return (await identity.Users.GetAuthenticatorKeyAsync((await identity.Users.FindByNameAsync(userName))!))!;
    }

    public static async Task LockAsync(TenantDatabases databases, string tenant, string userName)
    {
        await using var identity = new OfflineIdentity(databases, tenant);
        await identity.Users.SetLockoutEndDateAsync((await identity.Users.FindByNameAsync(userName))!, DateTimeOffset.UtcNow.AddMinutes(15));
    }

    public static async Task<Agent?> FindAsync(TenantDatabases databases, string tenant, string userName)
    {
        await using var identity = new OfflineIdentity(databases, tenant);
        return await identity.Users.FindByNameAsync(userName);
    }

    public Task<HttpResponseMessage> SignInAsync(string userName, string password = Password) =>
        PostAsync("/desk/login", "/desk/login", ("userName", userName), ("password", password));

    public Task<HttpResponseMessage> CodeAsync(string userName, string code) =>
        PostAsync("/desk/login", "/desk/login", ("userName", userName), ("code", code));

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync($"/{tenant}{path}");

    /// <summary>The body of a page or download that must answer 200 (the failure shows what came instead).</summary>
    public async Task<string> ReadAsync(string path)
    {
        var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        return text;
    }

    /// <summary>Opens <paramref name="page"/> for its antiforgery token, then posts the form to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, params (string Name, string Value)[] fields) =>
        await PostFormAsync(action, await FormAsync(page, fields));

    /// <summary>
    /// The form <paramref name="page"/> renders, filled in: the fields, its antiforgery token and, on the appointments
    /// page, the planning form's one-time id (unless the fields give one), to post once or more.
    /// </summary>
    public async Task<List<KeyValuePair<string, string>>> FormAsync(string page, params (string Name, string Value)[] fields)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(AntiforgeryForm.FieldOf(html, page)).ToList();
        if (PlanKey().Match(html) is { Success: true } plan && fields.All(f => f.Name != "plan"))
        {
            form.Add(new("plan", plan.Groups[1].Value));
        }

        return form;
    }

    /// <summary>
    /// Posts as <see cref="PostAsync"/> and follows a 303 with the GET a browser makes (Post/Redirect/Get): the answer
    /// is the page that shows the result; any other answer is returned as it came.
    /// </summary>
    public async Task<HttpResponseMessage> PostFollowAsync(string page, string action, params (string Name, string Value)[] fields) =>
        await FollowAsync(await PostAsync(page, action, fields));

    /// <summary>The GET a browser makes after a 303, or <paramref name="response"/> itself when it is no 303.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.SeeOther ? await Client.GetAsync(response.Headers.Location) : response;

    public Task<HttpResponseMessage> PostFormAsync(string action, IEnumerable<KeyValuePair<string, string>> form) =>
        Client.PostAsync($"/{tenant}{action}", new FormUrlEncodedContent(form));

    [GeneratedRegex("name=\"plan\" value=\"([^\"]+)\"")]
    private static partial Regex PlanKey();

    /// <summary>
    /// Makes the sign-in cookie look issued <paramref name="age"/> ago, as if the agent had worked on for that long.
    /// </summary>
    public void AgeSignIn(IServiceProvider services, TimeSpan age) => AgeSignIn(_cookies, services, age);

    /// <summary>Makes the desk cookies in <paramref name="jar"/> look issued <paramref name="age"/> ago.</summary>
    public static void AgeSignIn(CookieContainer jar, IServiceProvider services, TimeSpan age)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var cookies = jar.GetAllCookies().Where(c => c.Name == "idcontact.desk").ToList();
        Assert.NotEmpty(cookies);
        foreach (var cookie in cookies)
        {
            var ticket = options.TicketDataFormat.Unprotect(cookie.Value)!;
            ticket.Properties.IssuedUtc = DateTimeOffset.UtcNow - age;
            cookie.Value = options.TicketDataFormat.Protect(ticket);
        }
    }

    public IReadOnlyList<Cookie> Cookies => _cookies.GetAllCookies().ToList();

    /// <summary>
    /// This agent's sign-in cookie presented by hand at <paramref name="path"/> of another tenant (the browser itself
    /// does not send it there), through <paramref name="stranger"/>, a client without cookies of its own.
    /// </summary>
    public async Task<HttpResponseMessage> CookieAtAsync(HttpClient stranger, string otherTenant, string path)
    {
        var cookie = Cookies.Single(c => c.Name == "idcontact.desk");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{otherTenant}{path}");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        return await stranger.SendAsync(request);
    }

    /// <summary>Drops the cookie <paramref name="name"/>, as a browser does when it expires (a sign-in that ended).</summary>
    public void Forget(string name)
    {
        foreach (var cookie in _cookies.GetAllCookies().Where(c => c.Name == name))
        {
            cookie.Expired = true;
        }
    }

    /// <summary>Puts a cookie for this tenant's desk in the jar, as if the server had set it.</summary>
    public void SetDeskCookie(string name, string value) =>
        _cookies.Add(new Cookie(name, value, $"/{tenant}/desk", Client.BaseAddress!.Host));

    /// <summary>The cookie jar itself, for a SignalR connection of this agent.</summary>
    public CookieContainer CookieJar => _cookies;

    public void Dispose() => _client?.Dispose();
}
