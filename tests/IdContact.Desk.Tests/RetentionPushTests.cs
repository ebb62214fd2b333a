using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>
/// What retention deletes leaves the open pages at once (M3, P11): after a sweep the tenant's overview hears the deleted
/// ids, and the chat's agent and resident hear that it was deleted; another tenant's pages hear nothing of it.
/// </summary>
public abstract class RetentionPushTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_sweep_pushes_the_deleted_ids_to_the_tenants_pages_and_not_to_another_tenants()
    {
        using var agentA = await DeskAgent.SignedInAsync(desk, desk.TenantA, "push-a", null);
        using var agentB = await DeskAgent.SignedInAsync(desk, desk.TenantB, "push-b", null);
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "push-a"))!);
        var (_, otherAttr) = await desk.StartChatAsync(desk.TenantB);
        var other = otherAttr.Split('/').Last();

        var overviewA = await ConnectAsync(desk, agentA, "/desk/hub");
        await using var overviewADisposal = overviewA.DisposedBounded();
        var overviewB = await ConnectAsync(desk, agentB, "/desk/hub");
        await using var overviewBDisposal = overviewB.DisposedBounded();
        var agentChats = await ConnectAsync(desk, agentA, "/desk/chat/hub");
        await using var agentChatsDisposal = agentChats.DisposedBounded();
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        var toA = Listen(overviewA);
        var toB = Listen(overviewB);
        var agentHeard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        agentChats.On<string, object?>("deleted", (id, _) => agentHeard.TrySetResult(id));
        var residentHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        resident.On("deleted", () => residentHeard.TrySetResult());
        await resident.StartAsync();
        // The handshake completes before the hub's OnConnectedAsync has put the connection in its chat's group; an
        // invocation is served only after it, so once this answers the resident hears what the sweep says.
        Assert.NotNull(await resident.InvokeAsync<object?>("Status"));
        Assert.True(await RenewsAsync(overviewA));
        Assert.True(await RenewsAsync(overviewB));

        await desk.Retention(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(61))).SweepAsync(CancellationToken.None);

        // One message per tenant and sweep: A's names A's chat and not B's; B's (B's own idle contacts) never names A's.
        var heardA = await toA.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var heardB = await toB.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Contains(chat, heardA);
        Assert.DoesNotContain(other, heardA);
        Assert.Contains(other, heardB);
        Assert.DoesNotContain(chat, heardB);
        Assert.Equal(chat, await agentHeard.Task.WaitAsync(Wait));
        await residentHeard.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_sweep_that_deletes_nothing_pushes_nothing()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "push-none", null);
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var fresh = attrUrl.Split('/').Last();
        var overview = await ConnectAsync(desk, agent, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        var deleted = Listen(overview);
        Assert.True(await RenewsAsync(overview));

        // Nothing idle for an hour: the sweep deletes nothing, so says nothing.
        await desk.Retention(TimeProvider.System).SweepAsync(CancellationToken.None);

        // The next sweep deletes the chat; SignalR keeps a connection's order, so the first message heard is that
        // sweep's: an (empty) message from the first would come before it.
        await desk.Retention(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(61))).SweepAsync(CancellationToken.None);
        Assert.Contains(fresh, await deleted.Reader.ReadAsync().AsTask().WaitAsync(Wait));
    }

    private static System.Threading.Channels.Channel<string[]> Listen(HubConnection connection)
    {
        var heard = System.Threading.Channels.Channel.CreateUnbounded<string[]>();
        connection.On<string[]>(Retention.DeletionPush.DeletedMessage, ids => heard.Writer.TryWrite(ids));
        return heard;
    }
}

public sealed class SqliteRetentionPushTests(SqliteDeskServer desk) : RetentionPushTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresRetentionPushTests(PostgresDeskServer desk) : RetentionPushTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
