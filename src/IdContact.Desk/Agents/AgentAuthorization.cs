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
    public const string AgentPolicy = "desk-agent";
    public const string AdminPolicy = "desk-admin";
    public const string TenantClaim = "idcontact:tenant";
    public const string AdminRole = "admin";

    public static IServiceCollection AddAgentAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options =>
        {
            options.AddPolicy(AgentPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant));
            options.AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(IsOwnTenant).RequireRole(AdminRole));
        });

    private static bool IsOwnTenant(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext ?? (context.Resource as HubInvocationContext)?.Context.GetHttpContext();
        var tenant = http?.TenantTag();
        return !string.IsNullOrEmpty(tenant) && context.User.FindFirstValue(TenantClaim) == tenant;
    }
}
