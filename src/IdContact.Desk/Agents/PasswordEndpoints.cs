using IdContact.Desk.Pages;
using IdContact.Desk.SignIn;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Desk.Agents;

/// <summary>An agent with a handed-out password chooses their own before seeing any contact.</summary>
public static class PasswordEndpoints
{
    public static void MapPasswordPage(this IEndpointRouteBuilder app)
    {
        var password = app.MapTenantGroup("/desk/password").RequireAuthorization(AgentAuthorization.AccountPolicy).ExcludeFromDescription()
            .AddEndpointFilter((context, next) => OidcSignIn.AllowsPassword(context.HttpContext)
                ? next(context)
                : ValueTask.FromResult<object?>(OidcSignIn.NoPasswords()));
        password.MapGet("", (HttpContext http) => Page(http, null, null));
        password.MapPost("", async Task<IResult> (HttpContext http, UserManager<Agent> users, SignInManager<Agent> signIn, DeviceCookies devices, IFormCollection form) =>
        {
            var agent = (await users.GetUserAsync(http.User))!;
            // Checked with lockout first, so an open session cannot be used to guess the password.
            var wasLocked = await users.IsLockedOutAsync(agent);
            if (!(await signIn.CheckPasswordSignInAsync(agent, form["current"].ToString(), lockoutOnFailure: true)).Succeeded)
            {
                await Admin.SignInAudit.RecordIfLockedAsync(http, agent, wasLocked);
                return Page(http, http.PrefersEnglish() ? "The current password is not correct." : users.ErrorDescriber.PasswordMismatch().Description, "current");
            }

            var changed = await users.ChangePasswordAsync(agent, form["current"].ToString(), form["new"].ToString());
            if (!changed.Succeeded)
            {
                return Page(http, string.Join(" ", changed.Errors.Select(e => e.Description)), "new");
            }

            agent.MustChangePassword = false;
            await users.UpdateAsync(agent);
            await signIn.RefreshSignInAsync(agent);
            // The new security stamp made this browser's device cookie worthless; the current password was just proven.
            devices.Issue(http, agent);
            return new SeeOther($"/{http.TenantTag()}/desk");
        });
    }

    /// <summary>Endpoint filter for agent pages: a pending password change comes first.</summary>
    public static async ValueTask<object?> RequireOwnPassword(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var agent = await http.CurrentAgentAsync();
        if (agent is null)
        {
            return Results.Forbid();
        }

        return MustChooseOwn(http, agent) ? new SeeOther($"/{http.TenantTag()}/desk/password") : await next(context);
    }

    /// <summary>The agent holds a handed-out password still to be replaced: pages wait for it (hubs apply the same through AgentHubConnections.Allows).</summary>
    internal static bool MustChooseOwn(HttpContext http, Agent agent) => agent.MustChangePassword && PasswordStepApplies(http);

    /// <summary>Whether this sign-in must replace a handed-out password (kept per hub connection by AgentHubConnections).</summary>
    internal static bool PasswordStepApplies(HttpContext http) =>
        // After the municipality's identity provider the desk password is not used, so it need not be chosen.
        !http.SignedInWithProvider() && OidcSignIn.AllowsPassword(http);

    /// <summary>The page, with the error of <paramref name="field"/> ("current" or "new") when the change was refused.</summary>
    private static RazorComponentResult Page(HttpContext http, string? error, string? field)
    {
        var page = DeskPages.For(http);
        return new RazorComponentResult<ChangePasswordPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Error = error,
            ErrorField = field,
        })
        { StatusCode = error is null ? 200 : 400 };
    }
}
