using IdContact.Desk.Admin;
using IdContact.Desk.SignIn;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Agents;

/// <summary>
/// Signing out ends the account's session on the server, not only this browser's cookie: a new security stamp makes
/// every cookie of the account fail at its next request (<see cref="SessionStamp"/>), a copy taken before included, and
/// closes the account's open hub connections on every instance (<see cref="AgentHubConnections"/>). So an agent signed in
/// on two devices is signed out on both. Open to a browser whose session already ended, which lands on the sign-in
/// page as well (authentication has refused its cookie: it is no account's). Held chats stay the agent's until the hand-back, as when a cookie expires.
/// </summary>
public static class AgentSignOut
{
    public static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<Agent> signIn, DeskDbContext db, DeviceCookies devices, ILogger<DeskRole> logger)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            // The session already ended (signed out elsewhere, expired): the button still leads to the sign-in page.
            await signIn.SignOutAsync();
            return new SeeOther($"/{http.TenantTag()}/desk/login");
        }

        var atProvider = http.SignedInWithProvider();
        await SignInAudit.RecordSignOutAsync(http);
        var agent = await signIn.UserManager.GetUserAsync(http.User);
        var everywhere = false;
        if (agent is not null)
        {
            // The device cookie is bound to the stamp too: this browser keeps its standing, copies and other devices lose it.
            var device = devices.DeviceOf(http, agent);
            if (await NewStampAsync(signIn.UserManager, db, agent) is { } stamped)
            {
                everywhere = true;
                if (device is not null)
                {
                    devices.Issue(http, stamped);
                }
            }
            else
            {
                logger.LogWarning("Sign-out of an agent of tenant {Tenant} left the security stamp unchanged; other sessions end when their cookies expire", http.TenantTag());
            }
        }

        await signIn.SignOutAsync();
        if (agent is not null)
        {
            await AgentHubConnections.RecheckAfterChangeAsync(http, agent.Id);
        }

        // The sign-in page says so, and that the other devices are signed out too only when the new stamp did that.
        var signedOut = $"/{http.TenantTag()}/desk/login?signedout={(everywhere ? "all" : "this")}";
        // A session that began at the municipality's provider ends there too, or the next person is signed straight back in.
        return atProvider ? await OidcSignOut.AtProviderAsync(http, signedOut) : new SeeOther(signedOut);
    }

    /// <summary>
    /// The account with a new stamp, or null. A concurrent change of the account (a wrong password counted, a reset)
    /// fails the update on its concurrency stamp: the row is read again and the stamp changed once more.
    /// </summary>
    private static async Task<Agent?> NewStampAsync(UserManager<Agent> users, DeskDbContext db, Agent agent)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if ((await users.UpdateSecurityStampAsync(agent)).Succeeded)
            {
                return agent;
            }

            await db.Entry(agent).ReloadAsync();
            if (db.Entry(agent).State == Microsoft.EntityFrameworkCore.EntityState.Detached)
            {
                // Deleted meanwhile: no session of it is left to end.
                return null;
            }
        }

        return null;
    }
}
