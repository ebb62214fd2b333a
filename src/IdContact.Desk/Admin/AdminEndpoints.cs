using IdContact.Desk.Agents;
using IdContact.Desk.SignIn;
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
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Admin;

/// <summary>
/// A tenant administrator manages the agents of that tenant only (P8); the data protection officer reads what they did
/// and the access log, and manages nothing.
/// </summary>
public static class AdminEndpoints
{
    public static void MapAdminPages(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/desk/admin").RequireAuthorization(AgentAuthorization.AdminPolicy)
            .AddEndpointFilter(PasswordEndpoints.RequireOwnPassword).ExcludeFromDescription();
        admin.MapGet("", (HttpContext http, UserManager<Agent> users) => AdminResult.Take(http) is { } shown
            ? PageAsync(http, users, shown.Notice, shown.Password, null)
            : PageAsync(http, users, null, null, null));
        admin.MapPost("/agents", CreateAsync);
        admin.MapPost("/agents/{id}/delete", DeleteAsync);
        admin.MapPost("/agents/{id}/reset", ResetAsync);
        admin.MapPost("/agents/{id}/extension", ExtensionAsync);
        admin.MapPost("/agents/{id}/role", RoleAsync);
        admin.MapStaffing();

        // Read-only, for administrators and the data protection officer alike: the access log and the admin audit.
        var audit = app.MapTenantGroup("/desk/admin").RequireAuthorization(AgentAuthorization.AuditReaderPolicy)
            .AddEndpointFilter(PasswordEndpoints.RequireOwnPassword).ExcludeFromDescription();
        audit.MapAccessLog();
        audit.MapAdminAudit();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, UserManager<Agent> users, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var typed = NewAgentForm.Of(form);
        if (typed.Check(english) is { Any: true } errors)
        {
            return await FormPageAsync(http, users, errors, typed);
        }

        var role = typed.Role;
        var (agent, password, identityErrors) = await AgentAccounts.CreateAsync(
            users, typed.UserName, typed.DisplayName, typed.ExtensionToStore, role.Length > 0 ? role : null);
        if (agent is null)
        {
            // Identity refuses a new account for its user name (taken, or characters it does not allow).
            return await FormPageAsync(http, users, FormErrors.Of(string.Join(" ", identityErrors), "new-user"), typed);
        }

        await AdminAudit.RecordAsync(http, AdminActions.Create, agent, role.Length > 0 ? role : null);
        if (!OidcSignIn.AllowsPassword(http))
        {
            // The account's random password is never used: the agent signs in at the municipality's provider, by this name.
            var label = OidcSignIn.Label(http);
            return AdminResult.Redirect(http, english
                ? $"Created: {agent.UserName}. They sign in with {label}, under that name."
                : $"Aangemaakt: {agent.UserName}. Die medewerker logt in met {label}, onder die naam.");
        }

        return AdminResult.Redirect(http, (english ? "Created: " : "Aangemaakt: ") + agent.UserName, password);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, UserManager<Agent> users, AgentRelease release, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var agent = await users.FindByIdAsync(id);
        if (agent is null || agent.Id == users.GetUserId(http.User))
        {
            return await PageAsync(http, users, null, null, english ? "That agent cannot be deleted." : "Die medewerker kan niet worden verwijderd.");
        }

        if (form["confirmed"] != "yes")
        {
            // Without script no dialog asked (confirm-submit.js): the question is a page of its own, with what the agent holds.
            return await ConfirmDeletePageAsync(http, agent);
        }

        // What the agent held is handed back in the transaction that deletes the account and records it: all, or nothing.
        var tenant = http.TenantTag();
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        HandedBack handed;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
            handed = await release.ReleaseAsync(db, tenant, agent, http.RequestAborted);
            var deleted = await users.DeleteAsync(agent);
            if (!deleted.Succeeded)
            {
                await transaction.RollbackAsync(http.RequestAborted);
                db.ChangeTracker.Clear();
                return await PageAsync(http, users, null, null, string.Join(" ", deleted.Errors.Select(e => e.Description)));
            }

            await AdminAudit.RecordAsync(http, AdminActions.Delete, agent);
            await transaction.CommitAsync(http.RequestAborted);
        }
        catch (Exception e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            // The agent took a contact after the release read theirs (DeskDbContext.AgentHolds), or the colleague a chat
            // went to was deleted meanwhile: the database refused the deletion, so the whole transaction is undone and a
            // retry hands that contact back too.
            db.ChangeTracker.Clear();
            return await PageAsync(http, users, null, null, english
                ? $"{agent.UserName} was not deleted: they took a contact at that very moment. Nothing was changed; try again."
                : $"{agent.UserName} is niet verwijderd: op dat moment nam die medewerker een contact aan. Er is niets gewijzigd; probeer het opnieuw.",
                StatusCodes.Status409Conflict);
        }

        // Its open sessions see nothing more at once (the agent is read on every request) and end at their next security stamp check.
        await release.AnnounceAsync(tenant, agent.Id, handed);
        await AgentHubConnections.RecheckAfterChangeAsync(http, agent.Id);
        return AdminResult.Redirect(http, (english ? "Deleted: " : "Verwijderd: ") + agent.UserName + "." + handed.Describe(english));
    }

    private static async Task<IResult> ResetAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        _ = form;
        if (!OidcSignIn.AllowsPassword(http))
        {
            return OidcSignIn.NoPasswords();
        }

        var agent = await users.FindByIdAsync(id);
        var password = agent is null ? null : await AgentAccounts.ResetPasswordAsync(users, agent);
        if (password is null)
        {
            return await PageAsync(http, users, null, null, http.PrefersEnglish() ? "The password could not be reset." : "Het wachtwoord kon niet worden hersteld.");
        }

        // The reset changed the security stamp, which ends the agent's open sessions and hub connections.
        await AgentHubConnections.RecheckAfterChangeAsync(http, agent!.Id);
        await AdminAudit.RecordAsync(http, AdminActions.Reset, agent!);
        return AdminResult.Redirect(http, (http.PrefersEnglish() ? "New password for " : "Nieuw wachtwoord voor ") + agent!.UserName, password);
    }

    private static async Task<IResult> ExtensionAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var agent = await users.FindByIdAsync(id);
        if (agent is null || await users.IsInRoleAsync(agent, AgentAuthorization.PrivacyRole))
        {
            // The data protection officer takes no calls: the page offers no extension for them.
            return await PageAsync(http, users, null, null, english ? "That agent has no extension." : "Die medewerker heeft geen toestel.");
        }

        var extension = form["extension"].ToString().Trim();
        if (extension.Length > 0 && !NewAgentForm.IsExtension(extension))
        {
            return await FormPageAsync(http, users, FormErrors.Of(
                english ? $"Enter an extension of digits only for {agent.UserName}." : $"Vul voor {agent.UserName} een toestelnummer van alleen cijfers in.", $"ext-{agent.Id}"));
        }

        agent.Extension = extension.Length > 0 ? extension : null;
        await users.UpdateAsync(agent);
        await AdminAudit.RecordAsync(http, AdminActions.Extension, agent, agent.Extension);
        return AdminResult.Redirect(http, (english ? "Extension saved for " : "Toestel opgeslagen voor ") + agent.UserName);
    }

    /// <summary>Grants or revokes one role: the form holds <c>admin</c> or <c>privacy</c> with <c>true</c> or <c>false</c>.</summary>
    private static async Task<IResult> RoleAsync(HttpContext http, string id, UserManager<Agent> users, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        var agent = await users.FindByIdAsync(id);
        var named = AgentAuthorization.Roles.Where(r => form.ContainsKey(r)).ToList();
        // Not one's own: the last administrator could otherwise lock everyone out of these pages, or oversee themselves.
        if (agent is null || agent.Id == users.GetUserId(http.User) || named.Count != 1)
        {
            return await PageAsync(http, users, null, null, english ? "The role of that agent cannot be changed." : "De rol van die medewerker kan niet worden gewijzigd.");
        }

        var role = named[0];
        var grant = form[role] == "true";
        var held = await users.GetRolesAsync(agent);
        if (grant && held.FirstOrDefault(h => AgentAuthorization.Excludes(role, h)) is { } other)
        {
            return await PageAsync(http, users, null, null, ExcludedMessage(english, other));
        }

        // The officer opens no contact: chats or appointments still with this agent would be left with nobody.
        if (grant && role == AgentAuthorization.PrivacyRole && (await HeldAsync(http, agent.Id)).Any)
        {
            return await PageAsync(http, users, null, null, english
                ? "This agent still holds chats, calls or video appointments; they can become data protection officer once those have ended or been handed over."
                : "Deze medewerker heeft nog chats, gesprekken of videoafspraken; functionaris gegevensbescherming kan pas als die zijn afgerond of overgedragen.");
        }

        var changed = grant == held.Contains(role)
            ? IdentityResult.Success
            : grant ? await users.AddToRoleAsync(agent, role) : await users.RemoveFromRoleAsync(agent, role);
        if (!changed.Succeeded)
        {
            return await PageAsync(http, users, null, null, string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        if (grant && role == AgentAuthorization.PrivacyRole)
        {
            // The officer takes no chats: their chat presence (a lease their pages renewed) goes with the grant.
            await http.RequestServices.GetRequiredService<DeskDbContext>().AgentPresence.Where(p => p.AgentId == agent.Id).ExecuteDeleteAsync(http.RequestAborted);
            if (agent.Extension is not null)
            {
                // Nor calls: an extension would route calls to someone who may not take them.
                agent.Extension = null;
                await users.UpdateAsync(agent);
            }
        }

        // A change that takes something away (a revoked role; the officer's role, which takes the contacts) ends the
        // account's sessions at once through a new security stamp, as a sign-out does: a cookie's roles are otherwise
        // renewed only once a minute, enough for a removed administrator to make a new one. A granted administrator role
        // takes nothing away: open sessions pick it up at their next check. Hub connections are re-checked at once.
        if ((!grant || role == AgentAuthorization.PrivacyRole) && !(await users.UpdateSecurityStampAsync(agent)).Succeeded)
        {
            http.RequestServices.GetRequiredService<ILogger<DeskRole>>().LogWarning(
                "A role change of an agent of tenant {Tenant} left the security stamp unchanged; open sessions pick it up within a minute", http.TenantTag());
        }

        await AgentHubConnections.RecheckAfterChangeAsync(http, agent.Id);
        await AdminAudit.RecordAsync(http, AdminActions.Role, agent, (grant ? "+" : "-") + role);
        return AdminResult.Redirect(http, AdminActionText.RoleNotice(role, grant, english) + agent.UserName);
    }

    private static async Task<HeldContacts> HeldAsync(HttpContext http, string agentId) => await HeldContacts.OfAsync(
        http.RequestServices.GetRequiredService<DeskDbContext>(), agentId, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.RequestAborted);

    private static string ExcludedMessage(bool english, string held) => held == AgentAuthorization.AdminRole
        ? (english ? "An administrator cannot also be the data protection officer: revoke the administrator role first." : "Een beheerder kan niet ook functionaris gegevensbescherming zijn: trek eerst de beheerrechten in.")
        : (english ? "The data protection officer cannot also be an administrator: revoke that role first." : "De functionaris gegevensbescherming kan niet ook beheerder zijn: trek eerst die rol in.");

    private static Task<RazorComponentResult> PageAsync(
        HttpContext http, UserManager<Agent> users, string? notice, string? password, string? error, int errorStatus = StatusCodes.Status400BadRequest) =>
        PageAsync(http, users, notice, password, FormErrors.Of(error), errorStatus, null);

    /// <summary>The page after a refused form, with every error of it.</summary>
    private static Task<RazorComponentResult> FormPageAsync(HttpContext http, UserManager<Agent> users, FormErrors errors, NewAgentForm? typed = null) =>
        PageAsync(http, users, null, null, errors, StatusCodes.Status400BadRequest, typed);

    private static async Task<RazorComponentResult> ConfirmDeletePageAsync(HttpContext http, Agent agent)
    {
        var page = DeskPages.For(http);
        return new RazorComponentResult<AdminDeletePage>(new
        {
            page.TenantTag,
            page.Brand,
            page.English,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            AgentId = agent.Id,
            UserName = agent.UserName ?? "",
            Held = await HeldAsync(http, agent.Id),
        });
    }

    private static async Task<RazorComponentResult> PageAsync(
        HttpContext http, UserManager<Agent> users, string? notice, string? password, FormErrors errors, int errorStatus, NewAgentForm? typed)
    {
        var page = DeskPages.For(http);
        var admins = (await users.GetUsersInRoleAsync(AgentAuthorization.AdminRole)).Select(a => a.Id).ToHashSet();
        var officers = (await users.GetUsersInRoleAsync(AgentAuthorization.PrivacyRole)).Select(a => a.Id).ToHashSet();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var db = http.RequestServices.GetRequiredService<DeskDbContext>();
        var held = await HeldContacts.ByAgentAsync(db, now, http.RequestAborted);
        var rows = (await users.Users.OrderBy(a => a.UserName).ToListAsync(http.RequestAborted))
            .Select(a => new AdminPage.AgentRow(
                a.Id, a.UserName ?? "", a.DisplayName, a.Extension, admins.Contains(a.Id), officers.Contains(a.Id), a.LockoutEnd > now, held.GetValueOrDefault(a.Id, HeldContacts.None), a.TwoFactorEnabled))
            .ToList();
        var audit = await AdminAudit.RecentAsync(db, AdminAuditKind.AccountChanges, 50, http.RequestAborted);
        var reads = await AdminAudit.RecentAsync(db, AdminAuditKind.AccessLogReads, 20, http.RequestAborted);
        var lastSignIns = await SignInAudit.LastSignInsAsync(db, http.RequestAborted);
        return new RazorComponentResult<AdminPage>(new
        {
            Agents = rows,
            Audit = audit,
            AccessLogReads = reads,
            LastSignIns = lastSignIns,
            page.TenantTag,
            page.Brand,
            CurrentAgentId = users.GetUserId(http.User) ?? "",
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Notice = notice,
            OneTimePassword = password,
            PasswordSignIn = OidcSignIn.AllowsPassword(http),
            Errors = errors,
            Typed = typed,
        })
        { StatusCode = errors.Any ? errorStatus : 200 };
    }
}
