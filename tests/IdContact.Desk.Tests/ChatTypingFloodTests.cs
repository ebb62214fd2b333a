using System.Text.Json;
using IdContact.Desk.Chat;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Desk.Tests;

/// <summary>A resident's client that calls Typing in a loop, instead of every two seconds as the page does.</summary>
public abstract class ChatTypingFloodTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task A_resident_calling_typing_in_a_loop_reaches_the_agents_page_at_the_pages_own_pace()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "typing-flood", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "typing-flood"))!;
        var (clientUrl, _) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        await using var agentHub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        var typing = 0;
        var lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agentHub.On<string>("typing", id => Interlocked.Increment(ref typing));
        agentHub.On<string, JsonElement?>("line", (id, line) => lineArrived.TrySetResult());
        await using var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
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
}

public sealed class SqliteChatTypingFloodTests(SqliteDeskServer desk) : ChatTypingFloodTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresChatTypingFloodTests(PostgresDeskServer desk) : ChatTypingFloodTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
