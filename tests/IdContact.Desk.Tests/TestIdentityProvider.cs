using System.Security.Claims;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdContact.Desk.Tests;

/// <summary>
/// A municipality's identity provider for the tests: a real OpenID Connect server (OpenIddict, degraded mode, no
/// database) on a loopback port, authorization code flow with PKCE. Its login page signs in <see cref="UserName"/>.
/// </summary>
public sealed class TestIdentityProvider : LoopbackFake
{
    private readonly bool _endSession;

    private TestIdentityProvider(bool endSession) => _endSession = endSession;

    /// <summary>One registered client: the desk of one municipality, and where it may be sent back after signing out.</summary>
    public sealed record Client(string Id, string Secret, string RedirectUri, string? PostLogoutRedirectUri = null);

    public string Authority => Url + "/";

    /// <summary>
    /// The desk's back-channel timeout for this provider (<c>Oidc:BackchannelTimeoutSeconds</c>): on a loaded test machine
    /// (two cores, several test hosts) its first discovery and token answers have taken longer than the default 10 s.
    /// </summary>
    public const int PatientSeconds = 60;

    /// <summary>Who signs in at this provider's login page next; null: the user refuses (access_denied).</summary>
    public string? UserName { get; set; }

    /// <summary>The registered clients; added once the desk's address is known.</summary>
    public List<Client> Clients { get; } = [];

    /// <summary>The end-session requests this provider received (their query), in order.</summary>
    public List<Microsoft.AspNetCore.Http.QueryString> EndSessions { get; } = [];

    /// <param name="endSession">False: a provider without RP-Initiated Logout (no end_session_endpoint in its discovery).</param>
    public static Task<TestIdentityProvider> StartAsync(bool endSession = true) =>
        StartServerAsync(new TestIdentityProvider(endSession), "the test identity provider");

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o => o.Cookie.Name = "test-idp");
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            o.EnableDegradedMode();
            var aspNet = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            if (_endSession)
            {
                o.SetEndSessionEndpointUris("connect/endsession");
                aspNet.EnableEndSessionEndpointPassthrough();
                // Degraded mode: the registered post_logout_redirect_uri of the named client is checked here.
                o.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
                {
                    if (!Clients.Any(c => c.Id == context.Request.ClientId && c.PostLogoutRedirectUri == context.Request.PostLogoutRedirectUri))
                    {
                        context.Reject(Errors.InvalidRequest, "Unknown client or post_logout_redirect_uri.");
                    }

                    return default;
                }));
            }

            // Degraded mode has no client store: the known clients and their redirect URIs and secrets are checked here.
            o.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!Clients.Any(c => c.Id == context.ClientId && c.RedirectUri == context.RedirectUri))
                {
                    context.Reject(Errors.InvalidRequest, "Unknown client or redirect_uri.");
                }

                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!Clients.Any(c => c.Id == context.Request.ClientId && c.Secret == context.Request.ClientSecret))
                {
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                }

                return default;
            }));
        });
    }

    protected override void Map(WebApplication app)
    {
        app.UseAuthentication();
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            if (UserName is null)
            {
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user declined.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var user = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!user.Succeeded)
            {
                return Results.Redirect("/login?next=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            }

            var name = user.Principal!.FindFirstValue(ClaimTypes.Name)!;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "sub-" + name).SetClaim(Claims.PreferredUsername, name).SetClaim(Claims.Name, name);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        // Like a real provider: the end session ends its own session, then sends the browser to the client's registered address.
        app.MapMethods("/connect/endsession", ["GET", "POST"], async (HttpContext http) =>
        {
            EndSessions.Add(http.Request.QueryString);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        // The tiny login page: whoever the test configured has typed their password.
        app.MapGet("/login", async (HttpContext http, string next) =>
        {
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName ?? "")], "password")));
            return Results.Redirect(next.StartsWith('/') ? next : "/");
        });
    }
}
