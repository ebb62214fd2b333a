using System.Data.Common;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Admin;

/// <summary>What a sign-in record's Detail says: the way or the step, never what was typed.</summary>
public static class SignInSteps
{
    public const string Password = "password";
    public const string PasswordAndCode = "password+totp";
    public const string Code = "totp";
    public const string Provider = "oidc";

    /// <summary>A name no account has: kept without the name, which may be a password typed in the wrong field.</summary>
    public const string UnknownUser = "unknown-user";

    /// <summary>Refused without a check: one client address spent its hour's budget of wrong attempts (no account, no address kept).</summary>
    public const string AddressBudget = "address-budget";
}

/// <summary>
/// The agents' sign-ins, failed attempts, lock-outs and sign-outs in the tenant's admin audit (BIO 12.4.1), with the
/// agent as the one acting. Not the client address: see docs/security.md (section 6).
/// </summary>
public static class SignInAudit
{
    /// <summary>An event of <paramref name="agent"/>; null records a name no account has, without the name.</summary>
    public static Task RecordAsync(HttpContext http, string action, Agent? agent, string step) =>
        agent is null
            ? RecordAsync(http, action, "", "", SignInSteps.UnknownUser)
            : RecordAsync(http, action, agent.Id, agent.UserName ?? "", step);

    /// <summary>
    /// A wrong current password on a form of a signed-in agent (change password, two-step verification off) counts
    /// towards the lockout like a sign-in: the guess that locks the account is a lock-out on record.
    /// </summary>
    public static async Task RecordIfLockedAsync(HttpContext http, Agent agent, bool wasLocked)
    {
        if (!wasLocked && await http.RequestServices.GetRequiredService<UserManager<Agent>>().IsLockedOutAsync(agent))
        {
            await RecordAsync(http, AdminActions.LockedOut, agent, SignInSteps.Password);
        }
    }

    /// <summary>A client address has no wrong attempts left this hour: recorded once per window, for no account.</summary>
    public static Task RecordAddressRefusedAsync(HttpContext http) =>
        RecordAsync(http, AdminActions.SignInRefused, "", "", SignInSteps.AddressBudget);

    /// <summary>The signed-in agent signs out.</summary>
    public static Task RecordSignOutAsync(HttpContext http)
    {
        var users = http.RequestServices.GetRequiredService<UserManager<Agent>>();
        return RecordAsync(http, AdminActions.SignOut, users.GetUserId(http.User) ?? "", users.GetUserName(http.User) ?? "", null);
    }

    /// <summary>
    /// Written before the answer: a normal sign-in is on record. A database that refuses the row does not turn the
    /// sign-in into an error page; the warning names the action only.
    /// </summary>
    private static async Task RecordAsync(HttpContext http, string action, string agentId, string agentName, string? detail)
    {
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        var record = new AdminAuditRecord
        {
            AdminId = agentId,
            AdminName = agentName,
            Action = action,
            AgentId = agentId,
            AgentName = agentName,
            Detail = detail,
            At = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        db.AdminAudit.Add(record);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is DbUpdateException or DbException or InvalidOperationException or TimeoutException)
        {
            db.Entry(record).State = EntityState.Detached; // not written again by the request's next save
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInAudit))
                .LogWarning("A sign-in event ({Action}) could not be recorded: {Failure}", action, e.GetType().Name);
        }
    }

    /// <summary>Each agent's newest sign-in, by agent id: one grouped query for the whole admin page.</summary>
    public static Task<Dictionary<string, DateTimeOffset>> LastSignInsAsync(DeskDbContext db, CancellationToken ct) =>
        db.AdminAudit.AsNoTracking().Where(r => r.Action == AdminActions.SignIn)
            .GroupBy(r => r.AgentId).Select(g => new { AgentId = g.Key, At = g.Max(r => r.At) })
            .ToDictionaryAsync(x => x.AgentId, x => x.At, ct);
}
