using System.Collections.Concurrent;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// The agents' hub connections open on this instance, re-checked without waiting for them to call: a connection that
/// only listens gets the pushes (chat lines, video signalling, list changes) but calls nothing, so the per-call check of
/// <see cref="AgentHubAccess"/> never reached it. Every <c>Desk:HubRecheckSeconds</c> each tenant's connected accounts
/// are read in one query and the connections of a revoked account are closed (deleted, security stamp changed, a
/// handed-out password pending, or made data protection officer, whom the agents' policy refuses); this covers changes
/// made on any instance. An administrator's change re-checks that account's connections on this instance at once.
/// </summary>
public sealed class AgentHubConnections(
    TenantDatabases databases,
    ILookupNormalizer normalizer,
    IOptions<IdContactOptions> options,
    TimeProvider time,
    ILogger<AgentHubConnections> logger) : BackgroundService
{
    /// <summary>What the connection was let in with: the account and the security stamp of its cookie.</summary>
    private sealed record Connection(HubCallerContext Caller, string Tenant, string AgentId, string Stamp, bool PasswordStepApplies);

    private sealed record Account(string Id, string? SecurityStamp, bool MustChangePassword, bool PrivacyOfficer);

    private readonly ConcurrentDictionary<string, Connection> _open = new();

    internal void Add(HubCallerContext caller, string tenant, string agentId, string stamp, bool passwordStepApplies) =>
        _open[caller.ConnectionId] = new Connection(caller, tenant, agentId, stamp, passwordStepApplies);

    internal void Remove(HubCallerContext caller) => _open.TryRemove(caller.ConnectionId, out _);

    /// <summary>Re-checks every open connection, one query per tenant; returns how many were closed.</summary>
    public async Task<int> RecheckAsync(CancellationToken ct)
    {
        var closed = 0;
        foreach (var tenant in _open.Values.GroupBy(c => c.Tenant))
        {
            try
            {
                closed += await RecheckAsync(tenant.Key, tenant.ToList(), ct);
            }
            catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
            {
                // As on connecting: with the database away the connections stay; the next round checks them.
                logger.LogWarning("Agent hub re-check of tenant {Tenant} skipped: database unavailable", tenant.Key);
            }
        }

        return closed;
    }

    /// <summary>Re-checks one account's connections on this instance at once (after an administrator changed it).</summary>
    public Task<int> RecheckAsync(string tenant, string agentId, CancellationToken ct)
    {
        var connections = _open.Values.Where(c => c.Tenant == tenant && c.AgentId == agentId).ToList();
        return connections.Count == 0 ? Task.FromResult(0) : RecheckAsync(tenant, connections, ct);
    }

    /// <summary>After an administrator changed an account: its connections on this instance are re-checked at once.</summary>
    public static async Task RecheckAfterChangeAsync(HttpContext http, string agentId)
    {
        try
        {
            await http.RequestServices.GetRequiredService<AgentHubConnections>().RecheckAsync(http.TenantTag(), agentId, http.RequestAborted);
        }
        catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
        {
            // The change is made; the periodic re-check closes them.
        }
    }

    private async Task<int> RecheckAsync(string tenant, List<Connection> connections, CancellationToken ct)
    {
        var ids = connections.Select(c => c.AgentId).Distinct().ToList();
        var officer = normalizer.NormalizeName(AgentAuthorization.PrivacyRole);
        Dictionary<string, Account> accounts;
        await using (var db = databases.Open(tenant))
        {
            accounts = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
                .Select(u => new Account(u.Id, u.SecurityStamp, u.MustChangePassword,
                    db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == officer))))
                .ToDictionaryAsync(a => a.Id, ct);
        }

        var closed = 0;
        foreach (var connection in connections)
        {
            if (!Allows(accounts.GetValueOrDefault(connection.AgentId), connection))
            {
                connection.Caller.Abort();
                Remove(connection.Caller);
                closed++;
            }
        }

        if (closed > 0)
        {
            logger.LogInformation("Closed {Count} agent hub connections of tenant {Tenant}: access revoked", closed, tenant);
        }

        return closed;
    }

    /// <summary>The rule of <see cref="AgentHubAccess"/>, plus the role the agents' policy refuses.</summary>
    private static bool Allows(Account? account, Connection connection) =>
        account is not null
        && account.SecurityStamp == connection.Stamp
        && !(account.MustChangePassword && connection.PasswordStepApplies)
        && !account.PrivacyOfficer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Desk().HubRecheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RecheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed round must not end the re-checks for good; the next tick tries again.
                logger.LogError(e, "Agent hub re-check failed");
            }
        }
    }
}
