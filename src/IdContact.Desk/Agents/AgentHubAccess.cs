using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Claims;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// The agents' hubs check the account on connecting and on every call, as the pages do on every request: a SignalR
/// connection is authenticated once, when it opens, so without this a connection opened before a password reset, a
/// deletion or a role change kept working, and an account with a handed-out password (which reaches only the password
/// page) could open one. The account must still exist, its security stamp must be the one the cookie was issued with,
/// it must have chosen its own password where it signs in with one, and it must not have become data protection officer
/// (<see cref="AgentHubConnections.Allows"/>, the re-check's rule too); otherwise the connection is closed. A connection
/// let in is registered with <see cref="AgentHubConnections"/>, which re-checks it periodically, so one that only
/// listens is closed too.
/// </summary>
public sealed class AgentHubAccess : IHubFilter
{
    private static readonly ConcurrentDictionary<Type, bool> AgentHubs = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (!IsAgentHub(context.Hub))
        {
            await next(context);
            return;
        }

        if (!await ValidOnConnectAsync(context))
        {
            context.Context.Abort();
            return;
        }

        await next(context);
        // Known from here on, so it is closed when the account is revoked even if it never calls (AgentHubConnections).
        var caller = context.Context;
        var http = caller.GetHttpContext()!;
        context.ServiceProvider.GetRequiredService<AgentHubConnections>().Add(
            caller, http.TenantTag(), caller.User!.FindFirstValue(ClaimTypes.NameIdentifier)!, Stamp(caller.User!, context.ServiceProvider)!,
            PasswordEndpoints.PasswordStepApplies(http));
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (IsAgentHub(context.Hub))
        {
            context.ServiceProvider.GetRequiredService<AgentHubConnections>().Remove(context.Context);
        }

        await next(context, exception);
    }

    /// <summary>
    /// With the database away the connection opens unchecked, as the live list needs no database (the pushes say only
    /// that something changed, or carry a line stored since, which needs the database too); its first call is checked.
    /// </summary>
    private static async Task<bool> ValidOnConnectAsync(HubLifetimeContext context)
    {
        try
        {
            return await StillValidAsync(context.Context, context.ServiceProvider);
        }
        catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
        {
            return true;
        }
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (IsAgentHub(context.Hub) && !await StillValidAsync(context.Context, context.ServiceProvider))
        {
            // Answered with nothing, as a refused call elsewhere; a thrown refusal would be logged as the hub's error.
            context.Context.Abort();
            return null;
        }

        return await next(context);
    }

    /// <summary>The hubs behind the agents' policy, whatever they are called.</summary>
    private static bool IsAgentHub(Hub hub) => AgentHubs.GetOrAdd(hub.GetType(), type =>
        type.GetCustomAttributes<AuthorizeAttribute>().Any(a => a.Policy == AgentAuthorization.AgentPolicy));

    private static async Task<bool> StillValidAsync(HubCallerContext caller, IServiceProvider services)
    {
        var user = caller.User;
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = user is null ? null : Stamp(user, services);
        if (id is null || stamp is null || caller.GetHttpContext() is not { } http)
        {
            return false;
        }

        await using var db = services.GetRequiredService<TenantDatabases>().Open(http.TenantTag());
        var accounts = await AgentHubConnections.AccountsAsync(db, services.GetRequiredService<ILookupNormalizer>(), [id], caller.ConnectionAborted);
        return AgentHubConnections.Allows(accounts.GetValueOrDefault(id), stamp, PasswordEndpoints.PasswordStepApplies(http));
    }

    /// <summary>The security stamp the cookie was issued with.</summary>
    private static string? Stamp(ClaimsPrincipal user, IServiceProvider services) =>
        user.FindFirstValue(services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType);
}
