using System.Net;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>
/// Round 7: the hubs' defences without WebSockets. A long-polling or SSE connection is reached by later requests that
/// name its token (<c>?id=</c>); SignalR keeps one table of them for every hub and tenant (HubConnectionBinding).
/// </summary>
public abstract class HubLongPollingTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task An_agents_long_polling_connection_answers_its_own_agent_at_its_own_hub_only()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "lp-own", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "lp-own-colleague", null);
        using var stranger = new HttpClient { BaseAddress = new Uri(desk.Server.BaseUrl) };
        var poll = await RawLongPoll.OpenAsync(agent.Client, $"/{desk.TenantA}/desk/hub");

        // A colleague's cookie with the token: its call does not run as the agent, and it reads none of the agent's pushes.
        Assert.Equal(HttpStatusCode.NotFound, (await poll.InvokeAsync("colleague", "Renew", "", colleague.Client)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await poll.PollAsync(colleague.Client)).StatusCode);
        // Without a cookie through the residents' anonymous hubs, from another tenant's or an unknown tenant's path.
        foreach (var at in new[] { $"/{desk.TenantA}/chat/hub", $"/{desk.TenantA}/video/hub" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await poll.PollAsync(stranger, at)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await poll.InvokeAsync("stranger", "Renew", "", stranger, at)).StatusCode);
        }

        Assert.NotEqual(HttpStatusCode.OK, (await poll.PollAsync(at: $"/{desk.TenantB}/desk/hub")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await poll.PollAsync(at: "/nergens/desk/hub")).StatusCode);
        // The id the hub's callers see is not the token (negotiateVersion=1).
        Assert.Equal(HttpStatusCode.NotFound, (await poll.PollAsync(id: poll.ConnectionId)).StatusCode);

        // The agent's own connection works on, and answers only its own call.
        Assert.Equal(HttpStatusCode.OK, (await poll.InvokeAsync("own", "Renew", "")).StatusCode);
        var answers = await (await poll.PollAsync()).Content.ReadAsStringAsync();
        Assert.Contains("\"invocationId\":\"own\"", answers, StringComparison.Ordinal);
        Assert.DoesNotContain("colleague", answers, StringComparison.Ordinal);
        Assert.DoesNotContain("stranger", answers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_residents_long_polling_connection_is_not_reached_from_another_tenant_or_hub()
    {
        var (clientUrl, _) = await desk.StartChatAsync(desk.TenantA);
        var (otherUrl, _) = await desk.StartChatAsync(desk.TenantB);
        using var resident = new HttpClient { BaseAddress = new Uri(desk.Server.BaseUrl) };
        var poll = await RawLongPoll.OpenAsync(resident, $"/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}");

        foreach (var at in new[] { $"/{desk.TenantB}/chat/hub?c={otherUrl.Split('/').Last()}", $"/{desk.TenantA}/video/hub", "/nergens/chat/hub" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await poll.PollAsync(at: at)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await poll.InvokeAsync("elsewhere", "Typing", "", at: at)).StatusCode);
        }

        // Another chat's capability on the connection's own path changes nothing: the hub kept the first poll's request.
        Assert.Equal(HttpStatusCode.OK, (await poll.InvokeAsync("own", "Here", "", at: $"/{desk.TenantA}/chat/hub?c=not-this-one")).StatusCode);
        var answers = await (await poll.PollAsync()).Content.ReadAsStringAsync();
        Assert.Contains("\"invocationId\":\"own\"", answers, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", answers, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    public async Task Signing_out_and_the_recheck_close_an_agents_connection_without_websockets(HttpTransportType transport)
    {
        var name = $"lp-close-{transport}".ToLowerInvariant();
        using var leaving = await DeskAgent.SignedInAsync(desk, desk.TenantA, $"{name}-out", null);
        using var reset = await DeskAgent.SignedInAsync(desk, desk.TenantA, $"{name}-reset", null);
        using var deleted = await DeskAgent.SignedInAsync(desk, desk.TenantA, $"{name}-deleted", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, $"{name}-stays", null);
        var connections = new List<HubConnection>();
        foreach (var agent in new[] { leaving, reset, deleted, colleague })
        {
            var connection = await ConnectAsync(desk, agent, "/desk/hub", transport);
            connections.Add(connection);
            Assert.True(await RenewsAsync(connection));
        }

        try
        {
            var closed = connections[..3].Select(ClosedAsync).ToList();
            Assert.Equal(HttpStatusCode.SeeOther, (await leaving.PostAsync("/desk", "/desk/logout")).StatusCode);
            await using (var identity = new OfflineIdentity(desk.Databases, desk.TenantA))
            {
                // A password reset or role change elsewhere (a new stamp), and a deletion, as another instance makes them.
                await identity.Users.UpdateSecurityStampAsync((await identity.Users.FindByNameAsync($"{name}-reset"))!);
                await identity.Users.DeleteAsync((await identity.Users.FindByNameAsync($"{name}-deleted"))!);
            }

            await desk.Server.App.Services.GetRequiredService<AgentHubConnections>().RecheckAsync(CancellationToken.None);
            await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(await RenewsAsync(connections[3]));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposedBounded().DisposeAsync();
            }
        }
    }
}

public sealed class SqliteHubLongPollingTests(SqliteDeskServer desk) : HubLongPollingTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresHubLongPollingTests(PostgresDeskServer desk) : HubLongPollingTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
