using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace IdContact.Desk.Sessions;

/// <summary>
/// The Redis backplane (Desk:Redis) with this instance's own delivery under it. With Redis down the Redis manager
/// reaches nobody, not even a page on this instance (its own pushes come back through Redis), and a page could not
/// even connect (it subscribes on connect). So connections and groups are also kept here, in memory, and a push that
/// cannot reach Redis goes to this instance's pages; a page on another instance catches up by itself (chat.js,
/// agent-chat.js, overview.js). Redis fails fast while disconnected (DeskRole), so nothing waits for its timeout.
/// </summary>
public sealed class BackplaneFallback<THub>(RedisHubLifetimeManager<THub> redis, ILogger<DefaultHubLifetimeManager<THub>> localLogger, ILogger<BackplaneFallback<THub>> logger)
    : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly DefaultHubLifetimeManager<THub> _local = new(localLogger);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _local.OnConnectedAsync(connection);
        await TryAsync(() => redis.OnConnectedAsync(connection));
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        await _local.OnDisconnectedAsync(connection);
        await TryAsync(() => redis.OnDisconnectedAsync(connection));
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await TryAsync(() => redis.AddToGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await TryAsync(() => redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUsersAsync(userIds, methodName, args, cancellationToken));

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => redis.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        redis.TryGetReturnType(invocationId, out type);

    /// <summary>
    /// Through Redis; when it is not connected (the command was refused, so it went nowhere), to this instance's pages.
    /// A timeout is not retried here: the message may have gone out, and a page would see it twice.
    /// </summary>
    private async Task SendAsync(Func<HubLifetimeManager<THub>, Task> send)
    {
        try
        {
            await send(redis);
        }
        catch (RedisConnectionException)
        {
            await send(_local);
        }
    }

    private async Task TryAsync(Func<Task> redisPart)
    {
        try
        {
            await redisPart();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // This page gets this instance's pushes only (or none across instances) until it connects again.
            logger.LogWarning("The SignalR backplane is unavailable: {Error}", e.GetType().Name);
        }
    }
}
