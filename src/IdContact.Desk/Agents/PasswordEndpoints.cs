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
        password.MapGet("", (HttpContext http) => Page(http, FormErrors.None));
        password.MapPost("", async Task<IResult> (HttpContext http, UserManager<Agent> users, SignInManager<Agent> signIn, DeviceCookies devices, IFormCollection form) =>
        {
            var agent = (await users.GetUserAsync(http.User))!;
            var english = http.PrefersEnglish();
            var current = form["current"].ToString();
            var chosen = form["new"].ToString();
            // Checked with lockout first, so an open session cannot be used to guess the password.
            var wasLocked = await users.IsLockedOutAsync(agent);
            var errors = new List<FieldError>();
            if (!(await signIn.CheckPasswordSignInAsync(agent, current, lockoutOnFailure: true)).Succeeded)
            {
                await Admin.SignInAudit.RecordIfLockedAsync(http, agent, wasLocked);
                errors.Add(new("current", english ? "The current password is not correct." : users.ErrorDescriber.PasswordMismatch().Description));
            }

            // The new password's rules do not depend on the current one, so both errors are listed at once.
            var rules = await NewPasswordErrorsAsync(users, agent, chosen);
            if (rules is not null)
            {
                errors.Add(new("new", rules));
            }

            if (errors.Count > 0)
            {
                return Page(http, new FormErrors(errors));
            }

            // Identity's one call that checks, hashes and renews the security stamp together; it runs the (in-memory)
            // validators and the current-password check once more, which a rare password change can afford.
            var changed = await users.ChangePasswordAsync(agent, current, chosen);
            if (!changed.Succeeded)
            {
                return Page(http, FormErrors.Of(string.Join(" ", changed.Errors.Select(e => e.Description)), "new"));
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

    /// <summary>What the password validators say against <paramref name="chosen"/>, in one message; null when it passes.</summary>
    private static async Task<string?> NewPasswordErrorsAsync(UserManager<Agent> users, Agent agent, string chosen)
    {
        var messages = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, agent, chosen);
            messages.AddRange(result.Errors.Select(e => e.Description));
        }

        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>The page, with the errors of the fields ("current", "new") when the change was refused.</summary>
    private static RazorComponentResult Page(HttpContext http, FormErrors errors)
    {
        var page = DeskPages.For(http);
        return new RazorComponentResult<ChangePasswordPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Errors = errors,
        })
        { StatusCode = errors.Any ? 400 : 200 };
    }
}
