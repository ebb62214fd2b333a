using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Admin;

/// <summary>
/// Who did which administrator action to which agent (if any), and when; also the agents' own sign-ins, failed
/// attempts, lock-outs and sign-outs (BIO 12.4.1), where the agent is both. Never a password, a code or a name typed
/// for no account.
/// </summary>
public sealed class AdminAuditRecord
{
    public long Id { get; set; }

    public string AdminId { get; set; } = "";

    public string AdminName { get; set; } = "";

    /// <summary>One of <see cref="AdminActions"/>.</summary>
    public string Action { get; set; } = "";

    /// <summary>The agent acted on; empty for an action on no agent (reading the access log without an agent filter).</summary>
    public string AgentId { get; set; } = "";

    public string AgentName { get; set; } = "";

    /// <summary>The new value where the action has one (extension, granted or revoked role), or the access log's filter.</summary>
    public string? Detail { get; set; }

    public DateTimeOffset At { get; set; }
}

public static class AdminActions
{
    public const string Create = "create";
    public const string Delete = "delete";
    public const string Reset = "reset";
    public const string Extension = "extension";
    public const string Role = "role";

    /// <summary>Read a page of the access log; Detail holds the filter (user names and session ids only).</summary>
    public const string AccessLog = "access-log";

    /// <summary>Downloaded the access log as CSV; Detail holds the filter.</summary>
    public const string AccessLogExport = "access-log-export";

    /// <summary>Signed in; Detail is the way (<see cref="SignInSteps"/>: password, password and code, identity provider).</summary>
    public const string SignIn = "sign-in";

    /// <summary>A wrong password or code for an account (Detail the step), or a name no account has (Detail <see cref="SignInSteps.UnknownUser"/>, no name kept).</summary>
    public const string SignInFailed = "sign-in-failed";

    /// <summary>This wrong password or code locked the account; Detail the step.</summary>
    public const string LockedOut = "locked-out";

    /// <summary>
    /// A sign-in of an account that was locked already, refused; Detail the way (password or identity provider). Or, with
    /// no account and Detail <see cref="SignInSteps.AddressBudget"/>, a client address out of wrong attempts (once an hour).
    /// </summary>
    public const string SignInRefused = "sign-in-refused";

    public const string SignOut = "sign-out";

    /// <summary>
    /// The right password of an account with two-step verification; the code step follows (a <see cref="SignIn"/> or a
    /// failure of it). Without one after it, someone knows the password but not the code: what an investigator looks for.
    /// </summary>
    public const string CodeAsked = "code-asked";

    /// <summary>An agent assigned a video appointment (Detail its id, never the resident's name or address) to the agent named (Toewijzen).</summary>
    public const string AppointmentAssign = "appointment-assign";

    /// <summary>An agent took a video appointment nobody held (Aannemen); Detail its id, the agent named is themself.</summary>
    public const string AppointmentTake = "appointment-take";

    /// <summary>An agent cancelled a video appointment (Afspraak annuleren); Detail its id, no agent named.</summary>
    public const string AppointmentCancel = "appointment-cancel";

    /// <summary>An agent marked that a video appointment's resident did not come (Inwoner niet verschenen); Detail its id, no agent named.</summary>
    public const string AppointmentNoShow = "appointment-no-show";

    /// <summary>What staff did to appointments: listed apart (<see cref="AdminAuditKind.Appointments"/>).</summary>
    public static readonly string[] Appointments = [AppointmentAssign, AppointmentTake, AppointmentCancel, AppointmentNoShow];

    /// <summary>The agents' own events: listed apart from the administrators' actions.</summary>
    public static readonly string[] SignIns = [SignIn, CodeAsked, SignInFailed, LockedOut, SignInRefused, SignOut];

    public static readonly string[] AccessLogReads = [AccessLog, AccessLogExport];
}

/// <summary>The three lists of the trail, each paged on its own so one kind does not push another off its page.</summary>
public enum AdminAuditKind
{
    AccountChanges,
    AccessLogReads,
    SignIns,

    /// <summary>Staff actions on video appointments: assigned, taken, cancelled (<see cref="AdminActions.Appointments"/>).</summary>
    Appointments,
}

/// <summary>Writes and reads the administrator audit trail in the tenant's own database.</summary>
public static class AdminAudit
{
    public static Task RecordAsync(HttpContext http, string action, Agent agent, string? detail = null) =>
        RecordAsync(http, action, agent.Id, agent.UserName ?? "", detail);

    /// <summary>An action that names an agent only by user name (or none): the access log read by an agent filter.</summary>
    public static async Task RecordAsync(HttpContext http, string action, string agentId, string agentName, string? detail)
    {
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        var users = http.RequestServices.GetRequiredService<UserManager<Agent>>();
        db.AdminAudit.Add(new AdminAuditRecord
        {
            AdminId = users.GetUserId(http.User) ?? "",
            AdminName = users.GetUserName(http.User) ?? "",
            Action = action,
            AgentId = agentId,
            AgentName = agentName,
            Detail = detail,
            At = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await db.SaveChangesAsync(http.RequestAborted);
    }

    /// <summary>
    /// The newest records of one kind: account changes, reads of the access log, or sign-ins. Apart, so an administrator
    /// paging through the log, or a morning of sign-ins, does not push account changes off the page.
    /// </summary>
    public static Task<List<AdminAuditRecord>> RecentAsync(DeskDbContext db, AdminAuditKind kind, int count, CancellationToken ct, int skip = 0)
    {
        var records = db.AdminAudit.AsNoTracking();
        records = kind switch
        {
            AdminAuditKind.AccessLogReads => records.Where(r => AdminActions.AccessLogReads.Contains(r.Action)),
            AdminAuditKind.SignIns => records.Where(r => AdminActions.SignIns.Contains(r.Action)),
            AdminAuditKind.Appointments => records.Where(r => AdminActions.Appointments.Contains(r.Action)),
            _ => records.Where(r => !AdminActions.AccessLogReads.Contains(r.Action) && !AdminActions.SignIns.Contains(r.Action) && !AdminActions.Appointments.Contains(r.Action)),
        };
        return records.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(skip).Take(count).ToListAsync(ct);
    }
}
