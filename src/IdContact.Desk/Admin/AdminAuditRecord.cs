using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Admin;

/// <summary>Who did which administrator action to which agent (if any), and when. Never a password or a code.</summary>
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
    /// The newest actions on agent accounts, or (<paramref name="accessLogReads"/>) the newest reads of the access log:
    /// apart, so an administrator paging through the log does not push account changes off the page.
    /// </summary>
    public static Task<List<AdminAuditRecord>> RecentAsync(DeskDbContext db, bool accessLogReads, int count, CancellationToken ct, int skip = 0) =>
        db.AdminAudit.AsNoTracking()
            .Where(r => (r.Action == AdminActions.AccessLog || r.Action == AdminActions.AccessLogExport) == accessLogReads)
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(skip).Take(count).ToListAsync(ct);
}
