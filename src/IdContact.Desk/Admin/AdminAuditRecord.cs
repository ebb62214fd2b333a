using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Admin;

/// <summary>Who did which administrator action to which agent, and when. Never a password or a code.</summary>
public sealed class AdminAuditRecord
{
    public long Id { get; set; }

    public string AdminId { get; set; } = "";

    public string AdminName { get; set; } = "";

    /// <summary>One of <see cref="AdminActions"/>.</summary>
    public string Action { get; set; } = "";

    public string AgentId { get; set; } = "";

    public string AgentName { get; set; } = "";

    /// <summary>The new value where the action has one (extension, granted or revoked role).</summary>
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
}

/// <summary>Writes and reads the administrator audit trail in the tenant's own database.</summary>
public static class AdminAudit
{
    public static async Task RecordAsync(HttpContext http, string action, Agent agent, string? detail = null)
    {
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        var users = http.RequestServices.GetRequiredService<UserManager<Agent>>();
        db.AdminAudit.Add(new AdminAuditRecord
        {
            AdminId = users.GetUserId(http.User) ?? "",
            AdminName = users.GetUserName(http.User) ?? "",
            Action = action,
            AgentId = agent.Id,
            AgentName = agent.UserName ?? "",
            Detail = detail,
            At = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await db.SaveChangesAsync(http.RequestAborted);
    }

    public static Task<List<AdminAuditRecord>> RecentAsync(DeskDbContext db, CancellationToken ct) =>
        db.AdminAudit.AsNoTracking().OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(50).ToListAsync(ct);
}
