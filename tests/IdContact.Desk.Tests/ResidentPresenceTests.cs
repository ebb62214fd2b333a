using System.Threading.Channels;
using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>
/// The agent holding a chat hears when the resident's page goes and comes back (only connected or not); the grace before
/// saying "left" is the agent's page's (agent-chat.js, Desk:Chat:ResidentGoneSeconds), so the browser tests time it.
/// </summary>
public abstract class ResidentPresenceTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_agent_hears_the_resident_page_go_and_come_back()
    {
        await using var holder = await HolderAsync("presence-a");
        var (clientUrl, chat, heard) = (holder.ClientUrl, holder.Chat, holder.Heard);

        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        await resident.StopAsync();
        Assert.Equal((chat, false), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        var again = await ResidentAsync(clientUrl);
        await using var againDisposal = again.DisposedBounded();
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        // A page answering the "present" probe (a tab on another instance) says it is here.
        await again.InvokeAsync("Here");
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task A_long_polling_resident_who_stops_polling_is_heard_gone_without_saying_so()
    {
        await using var holder = await HolderAsync("presence-poll");
        var (clientUrl, chat, heard) = (holder.ClientUrl, holder.Chat, holder.Heard);
        using var resident = new HttpClient { BaseAddress = new Uri(desk.Server.BaseUrl) };
        await RawLongPoll.OpenAsync(resident, $"/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}");
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        // No DELETE, no further poll (a laptop lid shut): SignalR ends the connection after its disconnect timeout.
        Assert.Equal((chat, false), await heard.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task Closing_one_of_two_tabs_says_nothing_and_closing_the_last_says_the_resident_left()
    {
        await using var holder = await HolderAsync("presence-b");
        var (clientUrl, chat, heard) = (holder.ClientUrl, holder.Chat, holder.Heard);
        var first = await ResidentAsync(clientUrl);
        await using var firstDisposal = first.DisposedBounded();
        var second = await ResidentAsync(clientUrl);
        await using var secondDisposal = second.DisposedBounded();
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        // One tab closes; the other says it is here (as it would to the probe): the agent hears only that.
        await first.StopAsync();
        await second.InvokeAsync("Here");
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        // The last one closes: "left", once; a page opened after it is the next thing heard.
        await second.StopAsync();
        Assert.Equal((chat, false), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        var third = await ResidentAsync(clientUrl);
        await using var thirdDisposal = third.DisposedBounded();
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));
    }

    /// <summary>
    /// The agent's page opening a chat whose resident may have left before asks (AskResident): the resident's pages get
    /// "present", and one that is there answers. Another agent's ask of that chat reaches no page of the resident.
    /// </summary>
    [Fact]
    public async Task The_agents_page_asks_whether_the_resident_is_there_and_only_for_its_own_chat()
    {
        await using var holder = await HolderAsync("presence-ask");
        var (clientUrl, chat, heard) = (holder.ClientUrl, holder.Chat, holder.Heard);
        var resident = await ResidentAsync(clientUrl);
        await using var residentDisposal = resident.DisposedBounded();
        var asked = Channel.CreateUnbounded<bool>();
        // As chat.js: the page answers the probe.
        resident.On("present", () => { asked.Writer.TryWrite(true); _ = resident.InvokeAsync("Here"); });
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        await holder.Hub.InvokeAsync("AskResident", chat);
        Assert.True(await asked.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal((chat, true), await heard.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        // A colleague's page asks about a chat it does not hold: no probe. The holder's typing, pushed to the same
        // resident page after it, marks the point by which a probe would have arrived (pushes keep their order).
        using var other = await DeskAgent.SignedInAsync(desk, desk.TenantA, "presence-other", null);
        var otherHub = await ConnectAsync(desk, other, "/desk/chat/hub");
        await using var otherDisposal = otherHub.DisposedBounded();
        var typed = Channel.CreateUnbounded<bool>();
        resident.On("typing", () => typed.Writer.TryWrite(true));
        await otherHub.InvokeAsync("AskResident", chat);
        await holder.Hub.InvokeAsync("Typing", chat);
        Assert.True(await typed.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.False(asked.Reader.TryRead(out _));
    }

    [Fact]
    public void A_second_tab_keeps_the_chat_connected_on_the_instance()
    {
        var connections = new ResidentConnections();
        connections.Add("chat:a:1");
        connections.Add("chat:a:1");
        Assert.False(connections.RemoveLast("chat:a:1"));
        Assert.True(connections.RemoveLast("chat:a:1"));
        connections.Add("chat:a:1");
        Assert.True(connections.RemoveLast("chat:a:1"));
    }

    private async Task<HubConnection> ResidentAsync(string clientUrl)
    {
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await resident.StartAsync();
        return resident;
    }

    /// <summary>A signed-in agent holding a new chat, with the agent's chat hub open and its "resident" pushes collected.</summary>
    private async Task<Holder> HolderAsync(string user)
    {
        var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, user, null);
        var (clientUrl, chat) = await desk.ChatTakenByAsync(desk.TenantA, (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, user))!);
        var hub = await ConnectAsync(desk, agent, "/desk/chat/hub");
        // Served only after the hub's OnConnectedAsync (the handshake is answered before it): the agent's page is in its
        // group before the resident's page connects, else the first "connected" could go to nobody.
        Assert.True(await hub.InvokeAsync<bool>("Exists", chat));
        var heard = Channel.CreateUnbounded<(string, bool)>();
        hub.On<string, bool>("resident", (id, connected) => heard.Writer.TryWrite((id, connected)));
        return new Holder(agent, hub, clientUrl, chat, heard);
    }

    private sealed record Holder(DeskAgent Agent, HubConnection Hub, string ClientUrl, string Chat, Channel<(string, bool)> Heard) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Hub.DisposeBoundedAsync();
            Agent.Dispose();
        }
    }
}

public sealed class SqliteResidentPresenceTests(SqliteDeskServer desk) : ResidentPresenceTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresResidentPresenceTests(PostgresDeskServer desk) : ResidentPresenceTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
