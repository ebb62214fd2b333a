using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using IdContact.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IdContact.Desk.Sessions;

/// <summary>
/// The Redis backplane (Desk:Redis) with this instance's own delivery under it. With Redis down the Redis manager
/// reaches nobody, not even a page on this instance (its own pushes come back through Redis), and a page could not
/// even connect (it subscribes on connect). So connections and groups are also kept here, in memory, and a push that
/// cannot reach Redis goes to this instance's pages; a page on another instance catches up by itself (chat.js,
/// agent-chat.js, overview.js, video-call.js). Redis fails fast while disconnected (DeskRole), so nothing waits for
/// its timeout. A page that connected meanwhile is not subscribed in Redis: when Redis is back it is disconnected, and
/// its automatic reconnect subscribes it.
/// </summary>
public sealed class BackplaneFallback<THub> : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> _redis;
    private readonly Backplane _backplane;
    private readonly ILogger<BackplaneFallback<THub>> _logger;
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new();
    private readonly ConcurrentDictionary<string, HubConnectionContext> _unsubscribed = new();

    public BackplaneFallback(
        RedisHubLifetimeManager<THub> redis, Backplane backplane, ILogger<DefaultHubLifetimeManager<THub>> localLogger, ILogger<BackplaneFallback<THub>> logger)
    {
        _redis = redis;
        _backplane = backplane;
        _logger = logger;
        _local = new(localLogger);
        backplane.Restored += () =>
        {
            foreach (var id in _unsubscribed.Keys)
            {
                if (_unsubscribed.TryRemove(id, out var connection))
                {
                    connection.Abort();
                }
            }
        };
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        await _local.OnConnectedAsync(connection);
        await TryAsync(connection.ConnectionId, () => _redis.OnConnectedAsync(connection));
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        _unsubscribed.TryRemove(connection.ConnectionId, out _);
        await _local.OnDisconnectedAsync(connection);
        await TryAsync(null, () => _redis.OnDisconnectedAsync(connection));
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await TryAsync(connectionId, () => _redis.AddToGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await TryAsync(null, () => _redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
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
        _redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => _redis.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _redis.TryGetReturnType(invocationId, out type);

    /// <summary>
    /// Through Redis; when it is not connected (the command was refused, so it went nowhere), to this instance's pages.
    /// A timeout is not retried here: the message may have gone out, and a page would see it twice.
    /// </summary>
    private async Task SendAsync(Func<HubLifetimeManager<THub>, Task> send)
    {
        try
        {
            await send(_redis);
        }
        catch (RedisConnectionException)
        {
            await send(_local);
        }
    }

    /// <summary>The Redis part of a connect or group change; while Redis is down the connection is marked for a reconnect later.</summary>
    private async Task TryAsync(string? connectionId, Func<Task> redisPart)
    {
        try
        {
            await redisPart();
            if (!_backplane.Down)
            {
                return;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning("The SignalR backplane is unavailable: {Error}", e.GetType().Name);
        }

        if (connectionId is not null && _connections.TryGetValue(connectionId, out var connection))
        {
            _unsubscribed[connectionId] = connection;
        }
    }
}

/// <summary>
/// The Redis connection of the SignalR backplane (Desk:Redis): whether it is down (pushes then reach this instance's
/// pages only; the video pages ask, so a call waiting for the other side says so), and when it is back.
/// </summary>
public sealed class Backplane(IOptions<IdContactOptions> options)
{
    private readonly bool _configured = options.Value.Desk().Redis is { Length: > 0 };
    private volatile IConnectionMultiplexer? _redis;

    /// <summary>Desk:Redis is configured and not connected. Never true without it.</summary>
    public bool Down => _configured && _redis is not { IsConnected: true };

    /// <summary>Redis is back (after the multiplexer restored its own subscriptions).</summary>
    public event Action? Restored;

    internal async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration, TextWriter log)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration, log);
        redis.ConnectionRestored += (_, _) => Restored?.Invoke();
        _redis = redis;
        return redis;
    }
}
