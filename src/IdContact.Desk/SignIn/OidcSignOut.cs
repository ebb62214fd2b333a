using IdContact.Desk.Agents;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.SignIn;

/// <summary>
/// Signing out also ends the agent's session at the municipality's identity provider (OpenID Connect RP-Initiated Logout
/// 1.0): on a shared workstation the next person would otherwise be signed straight back in as the previous agent. The
/// provider's handler sends the browser to its end_session_endpoint with client_id, a post_logout_redirect_uri under
/// PublicUrl and a protected state; the provider sends it back to <see cref="SignedOutPath"/>, which leads on to the
/// sign-in page. No id_token_hint: the desk keeps no id_token (security.md section 6).
/// </summary>
public static class OidcSignOut
{
    /// <summary>Marks a state as this tenant's sign-out, so a sign-in state cannot be replayed at the signed-out callback.</summary>
    private const string SignOutItem = "idcontact.signout";

    /// <summary>The sign-in page's query value that says the provider's session may still be open.</summary>
    public const string StillOpen = "open";

    /// <summary>The sign-in page's query value after a sign-out pressed in the workspace's frame: still open, with a button to finish.</summary>
    public const string InFrame = "frame";

    /// <summary>The sign-out form's field that says it was pressed in a frame ("1"), for browsers without Fetch Metadata.</summary>
    public const string FramedField = "framed";

    /// <summary>The post_logout_redirect_uri's path, to register at the provider (under PublicUrl).</summary>
    public static string SignedOutPath(string tag) => $"/{tag.ToLowerInvariant()}/desk/oidc/signed-out";

    internal static void Configure(OpenIdConnectOptions o, string tag, OidcSignInOptions oidc)
    {
        o.SignedOutCallbackPath = SignedOutPath(tag);
        o.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            // From PublicUrl, as the sign-in's redirect_uri: ASP.NET would build it from the Host the client names.
            context.ProtocolMessage.PostLogoutRedirectUri = context.HttpContext.RequestServices.GetRequiredService<PublicUrls>().Base + SignedOutPath(tag);
            context.ProtocolMessage.ClientId = oidc.ClientId;
            context.Properties.Items[SignOutItem] = tag.ToLowerInvariant();
            return Task.CompletedTask;
        };
        o.Events.OnSignedOutCallbackRedirect = context => ReturnedAsync(context, tag);
    }

    /// <summary>
    /// After the desk's own sign-out of a session that began at the provider: off to the provider's end session, or (no
    /// end_session_endpoint, discovery unreachable, switched off) to the sign-in page with a hint to close the browser.
    /// Pressed inside the workspace's frame: to the sign-in page with that hint and a button that finishes at the
    /// provider in a new tab, as providers refuse to be framed and the agent would see a blocked frame.
    /// </summary>
    public static async Task<IResult> AtProviderAsync(HttpContext http, string signedOut)
    {
        if (OidcSignIn.Of(http) is not { SignOutAtProvider: true })
        {
            return new SeeOther(signedOut + "&provider=" + StillOpen);
        }

        return await PressedInFrameAsync(http) ? new SeeOther(signedOut + "&provider=" + InFrame) : await EndSessionAsync(http, signedOut);
    }

    /// <summary>
    /// The browser's word (Sec-Fetch-Dest) where it gives one, else the sign-out form's <c>framed</c> field, which
    /// framed-links.js sets when <c>window.top !== window.self</c>. Either way only one of two safe answers is chosen.
    /// </summary>
    private static async Task<bool> PressedInFrameAsync(HttpContext http)
    {
        if (DeskPageHeaders.LoadsIntoFrame(http.Request) is { } framed)
        {
            return framed;
        }

        var form = http.Request.HasFormContentType ? await FormBody.ReadAsync(http.Request, http.RequestAborted) : null;
        return form is not null && FormBody.First(form[FramedField]) == "1";
    }

    /// <summary>The framed sign-in page's button, in a new tab: finishes signing out at the provider (antiforgery token, a POST).</summary>
    public static void MapFinishAtProvider(RouteGroupBuilder desk) =>
        // The form parameter is unused but makes the endpoint bind a form, and so check its antiforgery token.
        desk.MapPost("/logout/oidc", (HttpContext http, IFormCollection form) => OidcSignIn.Of(http) is { SignOutAtProvider: true }
                ? EndSessionAsync(http, $"/{http.TenantTag()}/desk/login?signedout=this")
                : Task.FromResult(Problems.NotFound("No sign-out at the identity provider", "This municipality's desk does not sign out at its identity provider.")))
            .RequireRateLimiting(RateLimits.Login);

    /// <summary>Off to the provider's end_session_endpoint, or (none, or discovery unreachable) to <paramref name="signedOut"/> with the hint.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext http, string signedOut)
    {
        var english = http.PrefersEnglish();
        try
        {
            // The language travels in the state: the desk's language cookie is not sent on the way back from the provider.
            var back = signedOut + (english ? "&lang=en" : "");
            await http.SignOutAsync(OidcSignIn.Scheme(http.TenantTag()), new AuthenticationProperties { RedirectUri = back });
            if (http.Response.Headers.Location.ToString() is { Length: > 0 } endSession)
            {
                return new SeeOther(endSession);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // No end_session_endpoint in the discovery document, or the document cannot be read.
            OidcSignIn.Logger(http).LogWarning("Sign-out at the identity provider of {Tenant} is not possible: {Failure}", http.TenantTag(), e.GetType().Name);
        }

        return new SeeOther(signedOut + "&provider=" + StillOpen);
    }

    /// <summary>The provider sent the browser back: on to the sign-in page the state names, or a page saying this is no such answer.</summary>
    private static async Task ReturnedAsync(RemoteSignOutContext context, string tag)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var properties = context.Properties;
        var own = tag.ToLowerInvariant();
        if (properties is not null && properties.Items.TryGetValue(SignOutItem, out var marked) && marked == own
            && properties.RedirectUri is { } back && back.StartsWith($"/{own}/desk/login?signedout=", StringComparison.Ordinal))
        {
            http.Response.Redirect(back);
            return;
        }

        OidcSignIn.Logger(http).LogWarning("A return from signing out at the identity provider of {Tenant} has no valid state", own);
        await OidcSignIn.RefuseAsync(http, "Sign-out failed", (label, english) => english
            ? $"This is not a valid return from signing out at {label}. You may still be signed in there: close the browser or sign out there."
            : $"Dit is geen geldige terugkeer van uitloggen bij {label}. U bent daar mogelijk nog ingelogd: sluit de browser of log daar uit.");
    }
}
