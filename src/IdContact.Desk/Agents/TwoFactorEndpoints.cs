using IdContact.Desk.Admin;
using IdContact.Desk.Pages;
using IdContact.Desk.SignIn;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Agents;

/// <summary>Optional TOTP for agents (P8): set up with any authenticator app, asked for at sign-in.</summary>
public static class TwoFactorEndpoints
{
    public static void MapTwoFactor(this IEndpointRouteBuilder app)
    {
        var account = app.MapTenantGroup("/desk/account").RequireAuthorization(AgentAuthorization.AccountPolicy)
            .AddEndpointFilter(PasswordEndpoints.RequireOwnPassword).ExcludeFromDescription();
        account.MapGet("", async (HttpContext http, UserManager<Agent> users) =>
            OidcSignIn.AllowsPassword(http) ? await PageAsync(http, users, null) : ProviderPage(http));
        account.MapPost("/totp", async (HttpContext http, UserManager<Agent> users, SignInManager<Agent> signIn, DeviceCookies devices, IFormCollection form) =>
        {
            var agent = (await users.GetUserAsync(http.User))!;
            var code = form["code"].ToString().Replace(" ", "", StringComparison.Ordinal);
            var valid = code.Length is > 0 and <= 8 && await users.VerifyTwoFactorTokenAsync(agent, TokenOptions.DefaultAuthenticatorProvider, code);
            if (valid)
            {
                await users.SetTwoFactorEnabledAsync(agent, true);
                await signIn.RefreshSignInAsync(agent); // The new security stamp would otherwise end this session too.
                devices.Issue(http, agent); // ... and make this browser's device cookie worthless; the agent is signed in here.
            }

            var english = http.PrefersEnglish();
            return await PageAsync(http, users, valid
                ? english ? "Two-step verification is on." : "Tweestapsverificatie staat aan."
                : english ? "The code is not correct; try the next one." : "De code klopt niet; probeer de volgende.", errorField: valid ? null : "totp-code");
        }).AddEndpointFilter(RequirePasswordSignIn);
        account.MapPost("/totp/disable", async (HttpContext http, UserManager<Agent> users, SignInManager<Agent> signIn, DeviceCookies devices, IFormCollection form) =>
        {
            var english = http.PrefersEnglish();
            var agent = (await users.GetUserAsync(http.User))!;
            // Someone at an unlocked screen must not switch the second step off; guesses count towards lockout.
            var wasLocked = await users.IsLockedOutAsync(agent);
            if (!(await signIn.CheckPasswordSignInAsync(agent, form["password"].ToString(), lockoutOnFailure: true)).Succeeded)
            {
                await SignInAudit.RecordIfLockedAsync(http, agent, wasLocked);
                return await PageAsync(http, users, english
                    ? "The password is not correct; two-step verification stays on."
                    : "Het wachtwoord klopt niet; tweestapsverificatie blijft aan.", StatusCodes.Status400BadRequest, "totp-password");
            }

            await users.SetTwoFactorEnabledAsync(agent, false);
            await users.ResetAuthenticatorKeyAsync(agent);
            await signIn.RefreshSignInAsync(agent);
            devices.Issue(http, agent); // As above: the password was just proven from this browser.
            return await PageAsync(http, users, english ? "Two-step verification is off." : "Tweestapsverificatie staat uit.");
        }).AddEndpointFilter(RequirePasswordSignIn);
    }

    /// <summary>Where agents sign in only at the municipality's provider, it asks for the second step: no authenticator app here.</summary>
    private static async ValueTask<object?> RequirePasswordSignIn(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        OidcSignIn.AllowsPassword(context.HttpContext) ? await next(context) : OidcSignIn.NoPasswords();

    /// <summary>The account page without a key or QR code: no authenticator key is made for an account that cannot use it.</summary>
    private static RazorComponentResult ProviderPage(HttpContext http)
    {
        var page = DeskPages.For(http);
        return new RazorComponentResult<AccountPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            ProviderLabel = OidcSignIn.Label(http),
        });
    }

    /// <summary>
    /// The account's first authenticator key, made for the page to show. Not <c>ResetAuthenticatorKeyAsync</c>: that renews
    /// the security stamp, which would end this session at its next stamp check and close the agent's live hub
    /// connections, though nothing the agent signs in with has changed (two-step is off until a code confirms the key).
    /// </summary>
    private static async Task<string> FirstKeyAsync(HttpContext http, UserManager<Agent> users, Agent agent)
    {
        var key = users.GenerateNewAuthenticatorKey();
        var store = (IUserAuthenticatorKeyStore<Agent>)http.RequestServices.GetRequiredService<IUserStore<Agent>>();
        await store.SetAuthenticatorKeyAsync(agent, key, http.RequestAborted);
        await users.UpdateAsync(agent);
        return key;
    }

    private static async Task<RazorComponentResult> PageAsync(HttpContext http, UserManager<Agent> users, string? message, int statusCode = StatusCodes.Status200OK, string? errorField = null)
    {
        var page = DeskPages.For(http);
        var agent = (await users.GetUserAsync(http.User))!;
        var key = await users.GetAuthenticatorKeyAsync(agent);
        if (string.IsNullOrEmpty(key))
        {
            key = await FirstKeyAsync(http, users, agent);
        }

        var issuer = Uri.EscapeDataString("IdContact " + page.Brand);
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(agent.UserName ?? "")}?secret={key}&issuer={issuer}&digits=6";
        return new RazorComponentResult<AccountPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Enabled = agent.TwoFactorEnabled,
            Key = key,
            QrDataUri = QrCodes.PngDataUri(uri, 6),
            Message = message,
            ErrorField = errorField,
        })
        { StatusCode = statusCode };
    }
}
