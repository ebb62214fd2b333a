using System.Security.Claims;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Agents;

/// <summary>An agent is signed in for exactly one tenant; every agent page checks it against the URL's tenant (X2).</summary>
public static class AgentAuthorization
{
    /// <summary>Agents of the URL's tenant who handle contacts: every account but the data protection officer's.</summary>
    public const string AgentPolicy = "desk-agent";

    /// <summary>Any account of the URL's tenant, the officer's too: its own password, two-step verification, sign-out.</summary>
    public const string AccountPolicy = "desk-account";
    public const string AdminPolicy = "desk-admin";
    public const string TenantClaim = "idcontact:tenant";
    public const string AdminRole = "admin";

    /// <summary>
    /// The municipality's data protection officer (functionaris gegevensbescherming, FG): reads the access log and the
    /// administrator actions, manages nothing. Never held together with <see cref="AdminRole"/> (docs/security.md).
    /// </summary>
    public const string PrivacyRole = "privacy";

    /// <summary>Administrators or data protection officers of the URL's tenant: the read-only audit pages.</summary>
    public const string AuditReaderPolicy = "desk-audit-reader";

    /// <summary>The roles an administrator grants and revokes, seeded in every tenant's database at start-up.</summary>
    public static readonly IReadOnlyList<string> Roles = [AdminRole, PrivacyRole];

    /// <summary>One person does not both manage the accounts and oversee those who do (separation of duties).</summary>
    public static bool Excludes(string role, string other) => role != other && Roles.Contains(role) && Roles.Contains(other);

    /// <summary>The data protection officer checks who saw residents' data and sees none: no contacts, chats or calls.</summary>
    public static bool IsPrivacyOfficer(this ClaimsPrincipal user) => user.IsInRole(PrivacyRole);

    /// <summary>
    /// The ids of the tenant's data protection officers, as part of the caller's query: they take no contacts, so they are
    /// left out wherever agents are counted or chosen (staffing, chat availability, assigning an appointment).
    /// </summary>
    public static IQueryable<string> OfficerIds(Tenants.DeskDbContext db) =>
        from userRole in db.UserRoles
        join role in db.Roles on userRole.RoleId equals role.Id
        where role.Name == PrivacyRole
        select userRole.UserId;

    public static IServiceCollection AddAgentAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options =>
        {
            options.AddPolicy(AccountPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant));
            options.AddPolicy(AgentPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant).RequireAssertion(c => !c.User.IsPrivacyOfficer()));
            options.AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant).RequireRole(AdminRole));
            options.AddPolicy(AuditReaderPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant).RequireRole(AdminRole, PrivacyRole));
        });

    private static bool IsOwnTenant(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext ?? (context.Resource as HubInvocationContext)?.Context.GetHttpContext();
        var tenant = http?.TenantTag();
        return !string.IsNullOrEmpty(tenant) && context.User.FindFirstValue(TenantClaim) == tenant;
    }
}
