using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Desk.Tests;

/// <summary>
/// The pages' SignalR client falls back to server-sent events and then long polling where a proxy blocks WebSockets.
/// Until 2026-11-29 every hub closed a long-polling connection at once: its copy of the request had no tenant.
/// </summary>
public abstract class HubTransportTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    public async Task A_chat_works_both_ways_and_the_overview_renews_without_websockets(HttpTransportType transport)
    {
        var name = $"transport-{transport}".ToLowerInvariant();
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, name, null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, name))!;
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var agentChat = Hub($"/{desk.TenantA}/desk/chat/hub", transport, agent);
        await using var agentChatDisposal = agentChat.DisposedBounded();
        var residentLine = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        agentChat.On<string, JsonElement?>("line", (id, line) => residentLine.TrySetResult(line));
        await agentChat.StartAsync();
        Assert.True(await agentChat.InvokeAsync<bool>("Exists", chat));

        var resident = Hub($"/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}", transport, null);
        await using var residentDisposal = resident.DisposedBounded();
        await resident.StartAsync();
        var sent = await resident.InvokeAsync<JsonElement>("Send", $"{name}-1", "Goedendag");
        Assert.Equal(JsonValueKind.Object, sent.GetProperty("line").ValueKind);
        Assert.NotNull(await residentLine.Task.WaitAsync(TimeSpan.FromSeconds(30)));

        var overview = Hub($"/{desk.TenantA}/desk/hub", transport, agent);
        await using var overviewDisposal = overview.DisposedBounded();
        await overview.StartAsync();
        Assert.True(await AgentHubs.RenewsAsync(overview));
    }

    private HubConnection Hub(string path, HttpTransportType transport, DeskAgent? agent) =>
        new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}{path}", o =>
        {
            o.Transports = transport;
            if (agent is not null)
            {
                o.Cookies = agent.CookieJar;
            }
        }).Build();
}

public sealed class SqliteHubTransportTests(SqliteDeskServer desk) : HubTransportTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresHubTransportTests(PostgresDeskServer desk) : HubTransportTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
