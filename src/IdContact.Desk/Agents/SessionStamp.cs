using System.Security.Claims;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// Checks the sign-in cookie's security stamp against the account on every request, not only once per
/// <c>SecurityStampValidatorOptions.ValidationInterval</c>: a sign-out changes the stamp (<see cref="AgentSignOut"/>),
/// and a copy of the cookie taken before must fail at once, not up to a minute later. The pages read the account on
/// every request anyway (<see cref="CurrentAgent"/>, for the password step); this read is the same one, so it costs a
/// query only on the few requests no page reads it for (sign-out, the password page, opening a hub connection).
/// </summary>
internal static class SessionStamp
{
    /// <summary>Refuses the cookie, and removes it from the browser, when its stamp is no longer the account's.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (await MatchesAsync(context))
        {
            // Within the interval it only renews the principal's roles; past it, it also re-reads the stamp.
            await SecurityStampValidator.ValidatePrincipalAsync(context);
            return;
        }

        context.RejectPrincipal();
        CurrentAgent.Forget(context.HttpContext);
        // Only a browser that brought this (once valid) cookie learns that its session was ended: the sign-in page it is
        // sent to says so (DeskRole's redirect). Nothing more is told, and a typed-in address learns nothing at all.
        context.HttpContext.Items[EndedKey] = true;
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    private const string EndedKey = "idcontact.session-ended";

    /// <summary>Whether this request's cookie was refused because its session was ended elsewhere (a sign-out, a reset).</summary>
    public static bool EndedElsewhere(HttpContext http) => http.Items.ContainsKey(EndedKey);

    private static async Task<bool> MatchesAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        if (context.Principal is not { } principal)
        {
            return false;
        }

        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        try
        {
            // A deleted account passes here: the pages answer it themselves (403), as they did before this check.
            var agent = await CurrentAgent.AgentOfAsync(http, principal);
            return agent is null || agent.SecurityStamp == principal.FindFirstValue(stampType);
        }
        catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
        {
            // As the hubs on connecting: with the database away what the request needs from it fails by itself.
            return true;
        }
    }
}
