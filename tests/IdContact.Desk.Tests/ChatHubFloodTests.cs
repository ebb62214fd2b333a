using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Http.Connections;
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

    [Fact]
    public async Task A_resident_asking_for_the_status_in_a_loop_is_answered_at_most_the_limit_a_minute_and_never_told_ended()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        await desk.Server.App.Services.GetRequiredService<ChatStore>().EnqueueAsync(desk.TenantA, attrUrl.Split('/').Last(), CancellationToken.None);
        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();

        // Until 2026-11-29 every call read the chat and counted the queue ahead of it, as fast as the connection went.
        var limit = ChatStatusFlood.PerMinute(desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().AgentRefreshSeconds);
        var answered = 0;
        for (var i = 0; i < 2 * limit; i++)
        {
            var status = await resident.InvokeAsync<JsonElement?>("Status");
            Assert.NotNull(status);
            answered += status.Value.GetProperty("state").GetString() == "queued" ? 1 : 0;
        }

        Assert.InRange(answered, 1, limit);
    }

    [Fact]
    public async Task A_resident_asking_for_the_sign_in_methods_in_a_loop_reaches_the_core_at_most_the_limit_a_minute()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        await desk.Server.App.Services.GetRequiredService<ChatStore>().AddEventAsync(desk.TenantA, attrUrl.Split('/').Last(), ChatKinds.IdentifyRequested, "Eva", CancellationToken.None);
        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();
        var before = desk.Core.OptionsAsked;

        // Until 2026-11-29 each call while the agent's request was open asked the core's session_options.
        var offered = 0;
        for (var i = 0; i < 3 * IdentifyMethodsFlood.PerMinute; i++)
        {
            offered += (await resident.InvokeAsync<List<JsonElement>>("IdentifyMethods")).Count > 0 ? 1 : 0;
        }

        Assert.InRange(offered, 1, IdentifyMethodsFlood.PerMinute);
        Assert.InRange(desk.Core.OptionsAsked - before, 1, IdentifyMethodsFlood.PerMinute);
    }

    [Fact]
    public async Task An_agent_calling_typing_in_a_loop_reaches_the_residents_page_at_the_pages_own_pace()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "agent-typing-flood", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "agent-typing-flood"))!;
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();
        var typing = 0;
        var lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        resident.On("typing", () => Interlocked.Increment(ref typing));
        resident.On<JsonElement>("line", line => lineArrived.TrySetResult());
        // Served only after the resident's OnConnectedAsync: its page is in the chat's group before the agent types.
        Assert.NotNull(await resident.InvokeAsync<JsonElement?>("Status"));
        var agentHub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var agentHubDisposal = agentHub.DisposedBounded();

        // Until 2026-11-29 each call read the chat and pushed a notice to the resident's page.
        for (var i = 0; i < 3 * AgentTypingFlood.PerMinute; i++)
        {
            await agentHub.InvokeAsync("Typing", chat);
        }

        // A line after them arrives after every notice they caused (one connection keeps the order of its pushes).
        await agentHub.InvokeAsync<JsonElement>("Send", chat, "agent-typing-flood-1", "Goedendag");
        await lineArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(Volatile.Read(ref typing), 1, AgentTypingFlood.PerMinute);
    }

    [Fact]
    public async Task An_agent_sending_in_a_loop_is_refused_past_the_limit_and_the_residents_own_budget_is_untouched()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "agent-send-flood", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "agent-send-flood"))!;
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var agentHub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var agentHubDisposal = agentHub.DisposedBounded();
        var limit = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().ChatMessagesPerMinute;

        // Until 2026-11-29 an agent's sends had no limit: a script with a stolen cookie stored and pushed line after line.
        var refusals = new List<string?>();
        for (var i = 0; i < limit + 3; i++)
        {
            var sent = await agentHub.InvokeAsync<JsonElement>("Send", chat, $"agent-flood-{i}", "antwoord " + i);
            refusals.Add(sent.GetProperty("error").GetString());
        }

        Assert.All(refusals.Take(limit), Assert.Null);
        Assert.All(refusals.Skip(limit), r => Assert.Equal(ChatRules.TooManyMessages(false), r));

        // Counted apart from the resident's: the resident still gets their say.
        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();
        var answer = await resident.InvokeAsync<JsonElement>("Send", "agent-flood-resident", "Hallo");
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task An_agent_reading_in_a_loop_is_answered_at_most_the_limit_a_minute_over_both_hubs_and_the_refusals_are_counted()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "agent-reads-flood", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "agent-reads-flood"))!;
        var (_, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var agentHub = await AgentHubs.ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var agentHubDisposal = agentHub.DisposedBounded();
        await agentHub.InvokeAsync<JsonElement>("Send", chat, "agent-reads-1", "Goedendag");
        using var counted = new LimitRefusalsTests.Refusals(desk.Server.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var limit = AgentReadsFlood.PerMinute(desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceRenewSeconds);

        // Until now an agent's own reads had no limit: each call read and decrypted up to 1000 lines.
        var answered = 0;
        for (var i = 0; i < limit + 20; i++)
        {
            var lines = await agentHub.InvokeAsync<List<JsonElement>?>("Lines", chat, 0L);
            Assert.NotNull(lines);
            answered += lines.Count > 0 ? 1 : 0;
        }

        Assert.InRange(answered, 1, limit);
        Assert.Equal(limit + 20 - answered, counted.All.Count(c => c == (desk.TenantA, "agent_reads")));

        // One budget per agent, over both hubs: the overview's renewal and the chat's Exists are refused too, and counted.
        counted.Clear();
        var overview = await AgentHubs.ConnectAsync(desk, agent, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        await overview.InvokeAsync("Renew");
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => agentHub.InvokeAsync<bool>("Exists", chat));
        Assert.Equal([(desk.TenantA, "agent_reads"), (desk.TenantA, "agent_reads")], counted.All);
    }

    /// <summary>The message limit is counted inside the hub, so it holds alike whichever transport the page fell back to.</summary>
    [Theory]
    [MemberData(nameof(AgentHubs.Transports), MemberType = typeof(AgentHubs))]
    public async Task A_residents_messages_past_the_limit_are_refused_alike_over_every_transport(HttpTransportType transport)
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var resident = await ResidentAsync(clientUrl, transport);
        await using var residentDisposal = resident.DisposedBounded();
        var limit = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().ChatMessagesPerMinute;

        var refusals = new List<string?>();
        for (var i = 0; i < limit + 3; i++)
        {
            var sent = await resident.InvokeAsync<JsonElement>("Send", $"transport-flood-{i}", "bericht " + i);
            Assert.False(sent.GetProperty("ended").GetBoolean());
            refusals.Add(sent.GetProperty("error").GetString());
        }

        Assert.All(refusals.Take(limit), Assert.Null);
        Assert.All(refusals.Skip(limit), r => Assert.Equal(ChatRules.TooManyMessages(false), r));
        Assert.Equal(limit, (await desk.Server.App.Services.GetRequiredService<ChatStore>().LinesAsync(desk.TenantA, attrUrl.Split('/').Last(), 0, CancellationToken.None)).Count);
    }

    private async Task<HubConnection> ResidentAsync(string clientUrl, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}", transport).Build();
        await resident.StartAsync();
        return resident;
    }
}

public sealed class SqliteChatHubFloodTests(SqliteDeskServer desk) : ChatHubFloodTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresChatHubFloodTests(PostgresDeskServer desk) : ChatHubFloodTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
