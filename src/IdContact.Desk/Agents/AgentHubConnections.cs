using System.Collections.Concurrent;
using IdContact.Desk.Sessions;
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
using StackExchange.Redis;

namespace IdContact.Desk.Agents;

/// <summary>
/// The agents' hub connections open on this instance, re-checked without waiting for them to call: a connection that
/// only listens gets the pushes (chat lines, video signalling, list changes) but calls nothing, so the per-call check of
/// <see cref="AgentHubAccess"/> never reached it. Every <c>Desk:HubRecheckSeconds</c> each tenant's connected accounts
/// are read in one query and the connections of a revoked account are closed (deleted, security stamp changed, a
/// handed-out password pending, or made data protection officer, whom the agents' policy refuses); this covers changes
/// made on any instance. An administrator's change re-checks that account's connections at once: on this instance, and
/// with Desk:Redis on the others through a Redis message (lost when Redis is away; the periodic re-check remains).
/// </summary>
public sealed class AgentHubConnections(
    TenantDatabases databases,
    ILookupNormalizer normalizer,
    SharedFloodCounter shared,
    IOptions<IdContactOptions> options,
    TimeProvider time,
    ILogger<AgentHubConnections> logger) : BackgroundService
{
    /// <summary>"{tenant} {account id}" of an account an administrator changed; carries nothing else. This installation's only.</summary>
    public RedisChannel Changed { get; } = RedisChannel.Literal(shared.Prefix + ":hub-recheck");

    private int _subscribed;

    /// <summary>What the connection was let in with: the account and the security stamp of its cookie.</summary>
    private sealed record Connection(HubCallerContext Caller, string Tenant, string AgentId, string Stamp, bool PasswordStepApplies);

    /// <summary>What <see cref="Allows"/> needs to know of an account.</summary>
    internal sealed record Account(string Id, string? SecurityStamp, bool MustChangePassword, bool PrivacyOfficer);

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

    /// <summary>After an administrator changed an account: its connections on every instance are re-checked at once.</summary>
    public static async Task RecheckAfterChangeAsync(HttpContext http, string agentId)
    {
        var connections = http.RequestServices.GetRequiredService<AgentHubConnections>();
        try
        {
            await connections.RecheckAsync(http.TenantTag(), agentId, http.RequestAborted);
        }
        catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
        {
            // The change is made; the periodic re-check closes them.
        }

        await connections.TellOthersAsync(http.TenantTag(), agentId);
    }

    private async Task TellOthersAsync(string tenant, string agentId)
    {
        if (shared.Connection is not { } connecting)
        {
            return;
        }

        try
        {
            var redis = await connecting.WaitAsync(SharedFloodCounter.Timeout);
            await redis.GetSubscriber().PublishAsync(Changed, tenant + " " + agentId).WaitAsync(SharedFloodCounter.Timeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Other instances not told of a changed agent account of tenant {Tenant} ({Error}); their re-check follows", tenant, e.GetType().Name);
        }
    }

    /// <summary>Listens for the other instances' changes; tried again every round until it is set up.</summary>
    private async Task ListenAsync()
    {
        if (shared.Connection is not { } connecting || Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }

        ISubscriber? subscriber = null;
        try
        {
            var redis = await connecting.WaitAsync(TimeSpan.FromSeconds(5));
            subscriber = redis.GetSubscriber();
            await subscriber.SubscribeAsync(Changed, OnChanged);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The client keeps a handler even when the server never confirmed it: without this each failed round (a Redis
            // away for days) added one more, and once Redis was back every change was re-checked that many times.
            await ForgetHandlerAsync(subscriber);
            logger.LogWarning("Not listening for other instances' agent account changes yet ({Error})", e.GetType().Name);
        }
    }

    /// <summary>Takes the handler back in this client (done before any server command, so it holds with Redis away).</summary>
    private async Task ForgetHandlerAsync(ISubscriber? subscriber)
    {
        try
        {
            if (subscriber is not null)
            {
                await subscriber.UnsubscribeAsync(Changed, OnChanged, CommandFlags.FireAndForget);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The server's unsubscribe did not go out; the handler is gone here already, which is what counts.
        }
    }

    /// <summary>The handler; delegates of one method on one object are equal, so a failed attempt takes back the one it added.</summary>
    private void OnChanged(RedisChannel channel, RedisValue message) => _ = OnChangedElsewhereAsync(message.ToString());

    private async Task OnChangedElsewhereAsync(string message)
    {
        var parts = message.Split(' ');
        if (parts.Length != 2 || !databases.Tenants.Contains(parts[0], StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            await RecheckAsync(parts[0], parts[1], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Agent hub re-check of tenant {Tenant} after a change elsewhere failed ({Error})", parts[0], e.GetType().Name);
        }
    }

    private async Task<int> RecheckAsync(string tenant, List<Connection> connections, CancellationToken ct)
    {
        var ids = connections.Select(c => c.AgentId).Distinct().ToList();
        Dictionary<string, Account> accounts;
        await using (var db = databases.Open(tenant))
        {
            accounts = await AccountsAsync(db, normalizer, ids, ct);
        }

        var closed = 0;
        foreach (var connection in connections)
        {
            if (!Allows(accounts.GetValueOrDefault(connection.AgentId), connection.Stamp, connection.PasswordStepApplies))
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

    /// <summary>The accounts of <paramref name="ids"/> as <see cref="Allows"/> judges them, in one query.</summary>
    internal static Task<Dictionary<string, Account>> AccountsAsync(DeskDbContext db, ILookupNormalizer normalizer, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var officer = normalizer.NormalizeName(AgentAuthorization.PrivacyRole);
        return db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new Account(u.Id, u.SecurityStamp, u.MustChangePassword,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == officer))))
            .ToDictionaryAsync(a => a.Id, ct);
    }

    /// <summary>
    /// The one rule for an agent's hub connection, on every call (<see cref="AgentHubAccess"/>) and at every re-check: the
    /// account exists, holds the stamp the connection was let in with, has chosen its own password where the password
    /// step applies (<see cref="PasswordEndpoints.MustChooseOwn"/>), and is no data protection officer (the agents'
    /// policy refuses them: they see no contacts).
    /// </summary>
    internal static bool Allows(Account? account, string stamp, bool passwordStepApplies) =>
        account is not null
        && account.SecurityStamp == stamp
        && !(account.MustChangePassword && passwordStepApplies)
        && !account.PrivacyOfficer;

    /// <summary>Listening before the host takes connections, so no change made elsewhere is missed while Redis is there.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ListenAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Desk().HubRecheckSeconds), time);
        while (await timer.NextAsync(stoppingToken))
        {
            try
            {
                await ListenAsync();
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
