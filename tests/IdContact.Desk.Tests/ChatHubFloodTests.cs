using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>A resident's client that calls the chat hub in a loop, instead of at the page's own pace.</summary>
public abstract class ChatHubFloodTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task A_resident_calling_typing_in_a_loop_reaches_the_agents_page_at_the_pages_own_pace()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "typing-flood", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "typing-flood"))!;
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var agentHub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var agentHubDisposal = agentHub.DisposedBounded();
        // Served only after the hub's OnConnectedAsync, so the agent's page is in its group before the resident types.
        Assert.True(await agentHub.InvokeAsync<bool>("Exists", chat));
        var typing = 0;
        var lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agentHub.On<string>("typing", id => Interlocked.Increment(ref typing));
        agentHub.On<string, JsonElement?>("line", (id, line) => lineArrived.TrySetResult());
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        await resident.StartAsync();

        // Until 2026-11-27 each call read the chat and pushed a notice to the agent's page: a flood as fast as the link.
        for (var i = 0; i < 3 * ChatTypingFlood.PerMinute; i++)
        {
            await resident.InvokeAsync("Typing");
        }

        // A line after them arrives after every notice they caused (one connection keeps the order of its pushes).
        await resident.InvokeAsync<JsonElement>("Send", "typing-flood-1", "Goedendag");
        await lineArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(Volatile.Read(ref typing), 1, ChatTypingFlood.PerMinute);
    }

    [Fact]
    public async Task A_resident_asking_for_the_lines_in_a_loop_is_answered_at_most_the_limit_a_minute_and_never_told_ended()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        await desk.Server.App.Services.GetRequiredService<ChatStore>().EnqueueAsync(desk.TenantA, attrUrl.Split('/').Last(), CancellationToken.None);
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        await resident.StartAsync();
        await resident.InvokeAsync<JsonElement>("Send", "lines-flood-1", "Goedendag");

        // Until 2026-11-27 every call read and decrypted up to 1000 lines, as fast as the connection went.
        var limit = ChatLinesFlood.PerMinute(desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().AgentRefreshSeconds);
        var answered = 0;
        for (var i = 0; i < 3 * limit; i++)
        {
            var lines = await resident.InvokeAsync<List<JsonElement>?>("Lines", 0L);
            Assert.NotNull(lines);
            answered += lines.Count > 0 ? 1 : 0;
        }

        Assert.InRange(answered, 1, limit);
    }
}

public sealed class SqliteChatHubFloodTests(SqliteDeskServer desk) : ChatHubFloodTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresChatHubFloodTests(PostgresDeskServer desk) : ChatHubFloodTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
