using System.Text.Encodings.Web;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdContact.Desk.SignIn;

/// <summary>
/// Agents sign in with their municipality's own identity provider (OpenID Connect, code flow with PKCE). One scheme per
/// configured municipality, its callback under <c>/{tenant}/desk</c>. The provider only names the person: the account
/// is the municipality's existing agent account (an administrator creates and deletes them), and the desk cookie is
/// the same as after a password sign-in.
/// </summary>
public static class OidcSignIn
{
    /// <summary>The authentication method stamped in the desk cookie of a provider sign-in (kept at every renewal).</summary>
    public const string Method = "oidc";

    public static string Scheme(string tag) => "oidc-" + tag.ToLowerInvariant();

    public static string CallbackPath(string tag) => $"/{tag.ToLowerInvariant()}/desk/oidc/callback";

    /// <summary>The municipality's provider settings, or null when its agents sign in with desk passwords only.</summary>
    public static OidcSignInOptions? Of(HttpContext http) => http.Tenant().Desk().SignIn.Oidc;

    /// <summary>The provider's name on the button, in the page's language; empty without a provider.</summary>
    public static string Label(HttpContext http) =>
        Of(http) is { } oidc ? (http.PrefersEnglish() ? oidc.LabelEn ?? oidc.Label : oidc.Label) : "";

    /// <summary>A desk password endpoint of a municipality whose agents sign in only at its provider.</summary>
    public static IResult NoPasswords() =>
        Problems.Make(StatusCodes.Status403Forbidden, "No desk passwords", "Agents of this municipality sign in with its identity provider only.");

    /// <summary>A provider endpoint of a municipality without a provider.</summary>
    private static IResult NoProvider() =>
        Problems.NotFound("No identity provider", "Agents of this municipality sign in with their desk password.");

    /// <summary>Whether the password form and the password endpoints serve this municipality.</summary>
    public static bool AllowsPassword(HttpContext http) => Of(http)?.PasswordSignIn ?? true;

    /// <summary>This session began at the identity provider, which is in charge of the password and the second step.</summary>
    public static bool SignedInWithProvider(this HttpContext http) => http.User.HasClaim(System.Security.Claims.ClaimTypes.AuthenticationMethod, Method);

    public static void AddSchemes(AuthenticationBuilder auth, IdContactOptions options, CookieSecurePolicy secure)
    {
        foreach (var (tag, tenant) in options.Tenants)
        {
            if (tenant.Desk().SignIn.Oidc is { } oidc)
            {
                auth.AddOpenIdConnect(Scheme(tag), o => Configure(o, tag, oidc, secure, options.IsDemo));
            }
        }
    }

    private static void Configure(OpenIdConnectOptions o, string tag, OidcSignInOptions oidc, CookieSecurePolicy secure, bool demo)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        // A top-level GET back from the provider: the correlation and nonce cookies can be SameSite=Lax (form_post needs None).
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CallbackPath = CallbackPath(tag);
        o.RequireHttpsMetadata = !demo;
        o.BackchannelTimeout = TimeSpan.FromSeconds(oidc.BackchannelTimeoutSeconds);
        o.MapInboundClaims = false; // UserClaim names the claim as the provider sends it.
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.SignInScheme = IdentityConstants.ExternalScheme; // never used: the ticket is turned into the desk cookie below
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = secure;
        }

        // The provider sends the code back to this installation's PublicUrl, as every link the desk hands out: ASP.NET
        // would build it from the request's Host, which the client names.
        o.Events.OnRedirectToIdentityProvider = context =>
        {
            context.ProtocolMessage.RedirectUri = context.HttpContext.RequestServices.GetRequiredService<PublicUrls>().Base + CallbackPath(tag);
            return Task.CompletedTask;
        };
        o.Events.OnTicketReceived = context => SignInAgentAsync(context, tag, oidc);
        o.Events.OnRemoteFailure = FailedAsync;
        OidcSignOut.Configure(o, tag, oidc);
    }

    /// <summary>The sign-in button's form posts here: off to the municipality's provider.</summary>
    public static void MapOidcSignIn(this IEndpointRouteBuilder app)
    {
        var desk = app.MapTenantGroup("/desk").ExcludeFromDescription();
        desk.MapPost("/login/oidc", ChallengeAsync).RequireRateLimiting(RateLimits.Login);
        OidcSignOut.MapFinishAtProvider(desk);

        // The provider's handler answers the callback before this runs (UseAuthentication); mapped so the tenant is a
        // route value there and a made-up one is a 404. Reached only where no provider is configured.
        // The rate limiter runs before the handler, on this endpoint's metadata: a flood of callbacks (each one the
        // handler's work, with a good state a token request to the provider) is refused per address like the button's post.
        desk.MapMethods("/oidc/callback", [HttpMethods.Get, HttpMethods.Post],
            NoProvider).RequireRateLimiting(RateLimits.LoginCallback);
        // Where the provider sends the browser back after signing out (RP-Initiated Logout): the same rules as the callback.
        desk.MapMethods("/oidc/signed-out", [HttpMethods.Get, HttpMethods.Post],
            NoProvider).RequireRateLimiting(RateLimits.LoginCallback);
    }

    private static async Task<IResult> ChallengeAsync(HttpContext http, IFormCollection form)
    {
        if (Of(http) is null)
        {
            return NoProvider();
        }

        var returnUrl = DeskPages.For(http).SafeReturnUrl(form["returnUrl"].ToString());
        try
        {
            // The handler reads the provider's discovery document first (cached after the first success).
            await http.ChallengeAsync(Scheme(http.TenantTag()), new AuthenticationProperties { RedirectUri = returnUrl });
            return Results.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            Logger(http).LogWarning("The identity provider of {Tenant} cannot be reached: {Failure}", http.TenantTag(), e.GetType().Name);
            var english = http.PrefersEnglish();
            var label = Label(http);
            return AgentEndpoints.LoginPage(http, returnUrl, english
                ? $"{label} cannot be reached right now. Try again in a few minutes."
                : $"{label} is nu niet bereikbaar. Probeer het over enkele minuten opnieuw.", StatusCodes.Status502BadGateway);
        }
    }

    private static async Task SignInAgentAsync(TicketReceivedContext context, string tag, OidcSignInOptions oidc)
    {
        context.HandleResponse(); // no external cookie: the agent's own desk cookie, or nothing
        var http = context.HttpContext;
        var english = http.PrefersEnglish();
        var signIn = http.RequestServices.GetRequiredService<SignInManager<Agent>>();
        var name = context.Principal?.FindFirst(oidc.UserClaim)?.Value;
        // The callback path is the tenant's own, so the URL's tenant (whose database the user manager opened) is the scheme's.
        var agent = string.IsNullOrWhiteSpace(name) || http.TenantTag() != tag.ToLowerInvariant() ? null : await signIn.UserManager.FindByNameAsync(name);
        if (agent is null)
        {
            await SignInAudit.RecordAsync(http, AdminActions.SignInFailed, null, SignInSteps.Provider);
            await AgentEndpoints.LoginPage(http, context.ReturnUri, english
                ? "There is no account for you at this municipality; ask your administrator."
                : "Er is geen account voor u bij deze gemeente; vraag uw beheerder.", StatusCodes.Status403Forbidden).ExecuteAsync(http);
            return;
        }

        if (await signIn.UserManager.IsLockedOutAsync(agent) || !await signIn.CanSignInAsync(agent))
        {
            await SignInAudit.RecordAsync(http, AdminActions.SignInRefused, agent, SignInSteps.Provider);
            await AgentEndpoints.LoginPage(http, context.ReturnUri, AgentEndpoints.LockedText(english), StatusCodes.Status403Forbidden).ExecuteAsync(http);
            return;
        }

        await signIn.SignInAsync(agent, isPersistent: false, authenticationMethod: Method);
        await SignInAudit.RecordAsync(http, AdminActions.SignIn, agent, SignInSteps.Provider);
        Logger(http).LogInformation("Agent {AgentId} of {Tenant} signed in with the identity provider", agent.Id, tag);
        await ContinueAsync(http, DeskPages.For(http).SafeReturnUrl(context.ReturnUri), english);
    }

    /// <summary>
    /// A 200 page that moves on by itself instead of a redirect: the desk cookie is SameSite=Strict, and a browser does not
    /// send it on a redirect chain that began at the provider's (another) site.
    /// </summary>
    private static Task ContinueAsync(HttpContext http, string url, bool english)
    {
        var href = HtmlEncoder.Default.Encode(url);
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{(english ? "en" : "nl")}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={href}">
            <title>{(english ? "Signed in" : "Ingelogd")}</title></head>
            <body><p><a href="{href}">{(english ? "Continue to the desk" : "Verder naar de balie")}</a></p></body></html>
            """);
    }

    /// <summary>A refused or forged callback (access_denied, bad state, wrong issuer, expired code): a page, never a 500.</summary>
    private static async Task FailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        // The failure's type only: its message may quote what the provider or a forger sent.
        Logger(http).LogWarning("Sign-in with the identity provider of {Scheme} failed: {Failure}", context.Scheme.Name, context.Failure?.GetType().Name);
        await RefuseAsync(http, "Sign-in failed", (label, english) => english
            ? $"Signing in with {label} did not succeed. Try again or ask your administrator."
            : $"Inloggen met {label} is niet gelukt. Probeer het opnieuw of vraag uw beheerder.");
    }

    /// <summary>
    /// A 400 for what is not an answer of the provider: the sign-in page with <paramref name="text"/> (given the provider's
    /// label and the language), or a problem where no desk page can show it (another method than the mapped GET and POST).
    /// </summary>
    internal static async Task RefuseAsync(HttpContext http, string title, Func<string, bool, string> text)
    {
        if (http.GetRouteValue(TenantRouting.RouteValue) is null)
        {
            await Problems.BadRequest(title, "This is not an answer of the identity provider.").ExecuteAsync(http);
            return;
        }

        await AgentEndpoints.LoginPage(http, null, text(Label(http), http.PrefersEnglish()), StatusCodes.Status400BadRequest).ExecuteAsync(http);
    }

    internal static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
}
