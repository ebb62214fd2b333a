using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Admin;

/// <summary>A tenant administrator manages the agents of that tenant only (P8).</summary>
public static class AdminEndpoints
{
    public static void MapAdminPages(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/desk/admin").RequireAuthorization(AgentAuthorization.AdminPolicy).ExcludeFromDescription();
        admin.MapGet("", (HttpContext http, UserManager<Agent> users) => PageAsync(http, users, null, null, null));
        admin.MapPost("/agents", CreateAsync);
        admin.MapPost("/agents/{id}/delete", DeleteAsync);
        admin.MapPost("/agents/{id}/reset", ResetAsync);
        admin.MapPost("/agents/{id}/extension", ExtensionAsync);
        admin.MapPost("/agents/{id}/role", RoleAsync);
        admin.MapAccessLog();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, UserManager<Agent> users, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var userName = form["userName"].ToString().Trim();
        if (userName.Length is 0 or > 64)
        {
            return await PageAsync(http, users, null, null, english ? "Enter a user name of at most 64 characters." : "Vul een gebruikersnaam van hoogstens 64 tekens in.");
        }

        var (agent, password, errors) = await AgentAccounts.CreateAsync(
            users, userName, Limit(form["displayName"], 100), Limit(form["extension"], 32), form["isAdmin"] == "true");
        if (agent is null)
        {
            return await PageAsync(http, users, null, null, string.Join(" ", errors));
        }

        await AdminAudit.RecordAsync(http, AdminActions.Create, agent, await users.IsInRoleAsync(agent, AgentAuthorization.AdminRole) ? AgentAuthorization.AdminRole : null);
        return await PageAsync(http, users, (english ? "Created: " : "Aangemaakt: ") + agent.UserName, password, null);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        _ = form;
        var agent = await users.FindByIdAsync(id);
        if (agent is null || agent.Id == users.GetUserId(http.User))
        {
            return await PageAsync(http, users, null, null, http.PrefersEnglish() ? "That agent cannot be deleted." : "Die medewerker kan niet worden verwijderd.");
        }

        var deleted = await users.DeleteAsync(agent);
        if (!deleted.Succeeded)
        {
            return await PageAsync(http, users, null, null, string.Join(" ", deleted.Errors.Select(e => e.Description)));
        }

        // Its open sessions end at their next security stamp check: the agent is gone.
        await AdminAudit.RecordAsync(http, AdminActions.Delete, agent);
        return await PageAsync(http, users, (http.PrefersEnglish() ? "Deleted: " : "Verwijderd: ") + agent.UserName, null, null);
    }

    private static async Task<IResult> ResetAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        _ = form;
        var agent = await users.FindByIdAsync(id);
        var password = agent is null ? null : await AgentAccounts.ResetPasswordAsync(users, agent);
        if (password is null)
        {
            return await PageAsync(http, users, null, null, http.PrefersEnglish() ? "The password could not be reset." : "Het wachtwoord kon niet worden hersteld.");
        }

        // The reset changed the security stamp, which ends the agent's open sessions.
        await AdminAudit.RecordAsync(http, AdminActions.Reset, agent!);
        return await PageAsync(http, users, (http.PrefersEnglish() ? "New password for " : "Nieuw wachtwoord voor ") + agent!.UserName, password, null);
    }

    private static async Task<IResult> ExtensionAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        var agent = await users.FindByIdAsync(id);
        if (agent is null)
        {
            return await PageAsync(http, users, null, null, http.PrefersEnglish() ? "Unknown agent." : "Onbekende medewerker.");
        }

        agent.Extension = Limit(form["extension"], 32) is { Length: > 0 } extension ? extension : null;
        await users.UpdateAsync(agent);
        await AdminAudit.RecordAsync(http, AdminActions.Extension, agent, agent.Extension);
        return await PageAsync(http, users, (http.PrefersEnglish() ? "Extension saved for " : "Toestel opgeslagen voor ") + agent.UserName, null, null);
    }

    private static async Task<IResult> RoleAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var agent = await users.FindByIdAsync(id);
        // Not one's own: the last administrator could otherwise lock everyone out of these pages.
        if (agent is null || agent.Id == users.GetUserId(http.User))
        {
            return await PageAsync(http, users, null, null, english ? "The role of that agent cannot be changed." : "De rol van die medewerker kan niet worden gewijzigd.");
        }

        var grant = form["admin"] == "true";
        var changed = grant == await users.IsInRoleAsync(agent, AgentAuthorization.AdminRole)
            ? IdentityResult.Success
            : grant ? await users.AddToRoleAsync(agent, AgentAuthorization.AdminRole) : await users.RemoveFromRoleAsync(agent, AgentAuthorization.AdminRole);
        if (!changed.Succeeded)
        {
            return await PageAsync(http, users, null, null, string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        // Open sessions pick up the roles from the database at their next security stamp check.
        await AdminAudit.RecordAsync(http, AdminActions.Role, agent, (grant ? "+" : "-") + AgentAuthorization.AdminRole);
        var notice = grant
            ? (english ? "Now an administrator: " : "Nu beheerder: ") + agent.UserName
            : (english ? "No longer an administrator: " : "Geen beheerder meer: ") + agent.UserName;
        return await PageAsync(http, users, notice, null, null);
    }

    private static async Task<RazorComponentResult> PageAsync(HttpContext http, UserManager<Agent> users, string? notice, string? password, string? error)
    {
        var page = DeskPages.For(http);
        var admins = (await users.GetUsersInRoleAsync(AgentAuthorization.AdminRole)).Select(a => a.Id).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        var rows = (await users.Users.OrderBy(a => a.UserName).ToListAsync(http.RequestAborted))
            .Select(a => new AdminPage.AgentRow(a.Id, a.UserName ?? "", a.DisplayName, a.Extension, admins.Contains(a.Id), a.LockoutEnd > now))
            .ToList();
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        var audit = await AdminAudit.RecentAsync(db, accessLogReads: false, 50, http.RequestAborted);
        var reads = await AdminAudit.RecentAsync(db, accessLogReads: true, 20, http.RequestAborted);
        return new RazorComponentResult<AdminPage>(new
        {
            Agents = rows,
            Audit = audit,
            AccessLogReads = reads,
            page.TenantTag,
            page.Brand,
            CurrentAgentId = users.GetUserId(http.User) ?? "",
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Notice = notice,
            OneTimePassword = password,
            Error = error,
        })
        { StatusCode = error is null ? 200 : 400 };
    }

    private static string Limit(string? value, int max)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length > max ? trimmed[..max] : trimmed;
    }
}
