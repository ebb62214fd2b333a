using System.Globalization;
using System.Net;
using System.Text.Json;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.EndToEnd.Tests;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// The queue on the agent's overview: who waits longest, per channel, and "next from the queue", first come first served.
/// A server of its own, so the queue holds only what these tests put in it.
/// </summary>
public abstract class ContactQueueTests<TServer>(TServer desk) : IAsyncLifetime
    where TServer : DeskServer
{
    protected FakeExchange Exchange { get; private set; } = null!;

    protected string Tenant => desk.TenantC;

    public async Task InitializeAsync()
    {
        Exchange = await FakeExchange.StartAsync();
        desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[Tenant].Desk().ExchangeRouteUrl = Exchange.RouteUrl;
    }

    public async Task DisposeAsync() => await Exchange.DisposeAsync();

    [Fact]
    public async Task The_overview_says_who_waits_longest_and_next_from_the_queue_takes_calls_and_chats_first_come_first_served()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "wachtrij", null);
        await DrainQueueAsync();
        var panel = await PanelAsync(agent);
        Assert.True(panel.Contains("Telefoon: niemand wacht.", StringComparison.Ordinal), panel);
        Assert.Contains("Chat: niemand wacht.", panel);
        Assert.DoesNotContain("/desk/contacts/take-next", panel);

        // Three calls in the order they came in, one a colleague already took, and another municipality's call.
        var calls = new List<(string Id, string CallId)>();
        for (var i = 0; i < 3; i++)
        {
            calls.Add(await QueuedCallAsync(Tenant, DeskServer.KeyC));
        }

        await using (var db = desk.Databases.Open(Tenant))
        {
            await DeskAgent.CreateAsync(desk.Databases, Tenant, "collega-wachtrij");
            var colleagueId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "collega-wachtrij"))!.Id;
            var taken = await QueuedCallAsync(Tenant, DeskServer.KeyC);
            await db.Sessions.Where(s => s.Id == taken.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, colleagueId));
        }

        await QueuedCallAsync(desk.TenantA, DeskServer.KeyA);

        // Two chats waiting in the queue.
        var chats = desk.Server.App.Services.GetRequiredService<Chat.ChatStore>();
        var chatIds = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (_, attrUrl) = await desk.StartChatAsync(Tenant);
            chatIds.Add(attrUrl.Split('/')[^1]);
            Assert.True(await chats.EnqueueAsync(Tenant, chatIds[^1], CancellationToken.None));
        }

        // The call's time is when it reached the queue (the exchange's match), not when the resident got the code.
        var firstCall = (await FindAsync(calls[0].Id))!;
        Assert.Equal(firstCall.LastActivityAt, firstCall.CreatedAt);
        var firstCallAt = firstCall.CreatedAt;
        var firstChatAt = await CreatedAtAsync(chatIds[0]);
        panel = await PanelAsync(agent);
        Assert.Contains($"Telefoon: 3 bellers wachten, de eerste sinds {Clock(firstCallAt)}", panel);
        Assert.Contains($"Chat: 2 chats wachten, de eerste sinds {Clock(firstChatAt)}", panel);
        Assert.Contains("/desk/contacts/take-next", panel);
        // Away: the chat line says how to take one instead of offering a button that would refuse.
        Assert.DoesNotContain("/desk/chats/take-next", panel);
        Assert.Contains("Meld u beschikbaar om chats aan te nemen.", panel);
        var english = await agent.ReadAsync("/desk/contacts?lang=en");
        Assert.Contains($"Phone: 3 callers are waiting, the first since {Clock(firstCallAt)}", english);
        Assert.Contains($"Chat: 2 chats are waiting, the first since {Clock(firstChatAt)}", english);
        Assert.Contains("Take the caller waiting longest", english);
        Assert.Contains("Telefoon: 3 bellers", await agent.ReadAsync("/desk/contacts?lang=nl")); // the choice is remembered: back to Dutch

        // Next from the queue: the calls in the order they came, each put through to the agent's extension once.
        foreach (var (id, callId) in calls)
        {
            var take = await agent.PostAsync("/desk", "/desk/contacts/take-next");
            Assert.Equal(HttpStatusCode.SeeOther, take.StatusCode);
            Assert.EndsWith("/desk?message=routed", take.Headers.Location!.OriginalString);
            Assert.True(Exchange.Routes.TryDequeue(out var routed));
            Assert.Equal(callId, JsonDocument.Parse(routed.Body).RootElement.GetProperty("call_id").GetString());
            Assert.Equal(ContactState.Active, await StateAsync(id));
        }

        Assert.EndsWith("/desk?message=call-queue-empty", (await agent.PostAsync("/desk", "/desk/contacts/take-next")).Headers.Location!.OriginalString);
        Assert.Contains("Er wacht geen gesprek in de wachtrij.", await agent.ReadAsync("/desk?message=call-queue-empty"));
        Assert.EndsWith("/desk?message=gone", (await agent.PostAsync("/desk", "/desk/contacts/no-such-call/take")).Headers.Location!.OriginalString);
        Assert.Contains("Dat telefoongesprek is beëindigd of al door iemand anders aangenomen.", await agent.ReadAsync("/desk?message=gone"));
        Assert.Empty(Exchange.Routes);

        // Chats: the one waiting longest first; the other resident's place moves up.
        var agentId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "wachtrij"))!.Id;
        await chats.SetAvailableAsync(Tenant, agentId, true, CancellationToken.None);
        // A chat that is gone (ended, or a colleague was first) is called a chat, not a call.
        Assert.EndsWith("/desk?message=chat-gone", (await agent.PostAsync("/desk", "/desk/chats/no-such-chat/take")).Headers.Location!.OriginalString);
        Assert.Contains("Die chat is beëindigd of al door iemand anders aangenomen.", await agent.ReadAsync("/desk?message=chat-gone"));
        Assert.Contains("That chat has ended or was taken by someone else.", await agent.ReadAsync("/desk?message=chat-gone&lang=en"));
        await agent.ReadAsync("/desk?lang=nl");
        Assert.Contains("/desk/chats/take-next", await PanelAsync(agent));
        Assert.Equal(2, (await PlaceAsync(chats, chatIds[1])).Position);
        var first = await agent.PostAsync("/desk", "/desk/chats/take-next");
        Assert.EndsWith($"/desk/chats/{chatIds[0]}", first.Headers.Location!.OriginalString);
        Assert.Equal(1, (await PlaceAsync(chats, chatIds[1])).Position);
        Assert.Contains("Chat: 1 chat wacht, sinds", await PanelAsync(agent));
        Assert.Contains("Chat: 1 chat is waiting, since", await agent.ReadAsync("/desk/contacts?lang=en"));
        await agent.ReadAsync("/desk/contacts?lang=nl");
        Assert.EndsWith($"/desk/chats/{chatIds[1]}", (await agent.PostAsync("/desk", "/desk/chats/take-next")).Headers.Location!.OriginalString);
        Assert.EndsWith("/desk?message=chat-queue-empty", (await agent.PostAsync("/desk", "/desk/chats/take-next")).Headers.Location!.OriginalString);
        Assert.Equal(agentId, (await FindAsync(chatIds[0]))!.AgentId);
        Assert.Equal(agentId, (await FindAsync(chatIds[1]))!.AgentId);

        // Another municipality's call was never counted, offered or taken.
        using var agentOfA = await DeskAgent.SignedInAsync(desk, desk.TenantA, "wachtrij-a", null);
        Assert.Contains("Telefoon: 1 beller wacht", await PanelAsync(agentOfA));
    }

    [Fact]
    public async Task Next_from_the_queue_needs_an_extension_for_calls_and_availability_for_chats_and_takes_nothing_without()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "zonder-toestel", null);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "zonder-toestel"))!.Id;
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Users.Where(u => u.Id == agentId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Extension, (string?)null));
        }

        await DrainQueueAsync();
        var call = await QueuedCallAsync(Tenant, DeskServer.KeyC);
        Assert.EndsWith("/desk?message=no-extension", (await agent.PostAsync("/desk", "/desk/contacts/take-next")).Headers.Location!.OriginalString);
        Assert.Equal(ContactState.Queued, await StateAsync(call.Id));

        var chats = desk.Server.App.Services.GetRequiredService<Chat.ChatStore>();
        var (_, attrUrl) = await desk.StartChatAsync(Tenant);
        var chat = attrUrl.Split('/')[^1];
        Assert.True(await chats.EnqueueAsync(Tenant, chat, CancellationToken.None));
        Assert.EndsWith("/desk?message=chat-away", (await agent.PostAsync("/desk", "/desk/chats/take-next")).Headers.Location!.OriginalString);
        Assert.Equal(ContactState.Queued, await StateAsync(chat));
        Assert.Empty(Exchange.Routes);

        // Without the form's antiforgery token nothing is taken.
        var forged = await agent.Client.PostAsync($"/{Tenant}/desk/chats/take-next", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(ContactState.Queued, await StateAsync(chat));
    }

    /// <summary>The resident's place counts the same queue: a chat handed back (older) goes before later arrivals.</summary>
    [Fact]
    public async Task A_residents_place_counts_only_the_chats_nobody_holds_that_came_before()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1));
        var chats = desk.Chats(time);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, attrUrl) = await desk.StartChatAsync(Tenant);
            ids.Add(attrUrl.Split('/')[^1]);
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await chats.EnqueueAsync(Tenant, ids[^1], CancellationToken.None));
        }

        Assert.Equal(3, (await PlaceAsync(chats, ids[2])).Position);
        // A queued chat with a holder (never the case through the flows, but the place must not count what the queue does not).
        await using (var db = desk.Databases.Open(Tenant))
        {
            await DeskAgent.CreateAsync(desk.Databases, Tenant, "houder");
            var holderId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "houder"))!.Id;
            await db.Sessions.Where(s => s.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentId, holderId));
        }

        Assert.Equal(2, (await PlaceAsync(chats, ids[2])).Position);
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Sessions.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync();
        }
    }

    private static async Task<string> PanelAsync(DeskAgent agent)
    {
        var html = WebUtility.HtmlDecode(await agent.ReadAsync("/desk/contacts"));
        var start = html.IndexOf("<section class=\"card queue\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no queue panel: " + html);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static string Clock(DateTimeOffset at) => DutchTime.Of(at).ToString("HH:mm", CultureInfo.InvariantCulture);

    protected async Task<(string Id, string CallId)> QueuedCallAsync(string tenant, string key)
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(tenant);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Wachtende Beller " + Guid.NewGuid().ToString("N")[..8]))).StatusCode);
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var (status, body) = await desk.ExchangeAsync(tenant, "identify", new { code, call_id = callId, caller = "+3161234" + Random.Shared.Next(1000, 9999) }, key);
        Assert.True(status == 200 && body.GetProperty("result").GetString() == "matched", body.ToString());
        return (attrUrl.Split('/')[^1], callId);
    }

    /// <summary>Ends whatever an earlier test of this class left waiting, so "first" is this test's.</summary>
    protected async Task DrainQueueAsync()
    {
        await using var db = desk.Databases.Open(Tenant);
        await db.Sessions.Where(s => s.State == ContactState.Queued).ExecuteDeleteAsync();
    }

    protected async Task<ContactSession?> FindAsync(string id)
    {
        await using var db = desk.Databases.Open(Tenant);
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id);
    }

    private async Task<ContactState?> StateAsync(string id) => (await FindAsync(id))?.State;

    private async Task<DateTimeOffset> CreatedAtAsync(string id) => (await FindAsync(id))!.CreatedAt;

    private async Task<Chat.ChatStatus> PlaceAsync(Chat.ChatStore chats, string id) =>
        await chats.StatusAsync(Tenant, (await FindAsync(id))!, CancellationToken.None);
}

public sealed class SqliteContactQueueTests(SqliteDeskServer desk) : ContactQueueTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresContactQueueTests(PostgresDeskServer desk) : ContactQueueTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>
{
    private readonly PostgresDeskServer _desk = desk;

    /// <summary>
    /// Two agents press "next" at once on two instances: the colleague's take holds the first row when this agent's update
    /// reaches it (a real row lock in a second connection), then commits. The update finds it taken and the next one is
    /// tried. On SQLite writes are serialised, so the race cannot happen there.
    /// </summary>
    [Fact]
    public async Task When_a_colleague_takes_the_first_in_the_same_instant_next_from_the_queue_takes_the_one_after_it()
    {
        using var agent = await DeskAgent.SignedInAsync(_desk, Tenant, "snel", null);
        using var colleague = await DeskAgent.SignedInAsync(_desk, Tenant, "sneller", null);
        var agentId = (await DeskAgent.FindAsync(_desk.Databases, Tenant, "snel"))!.Id;
        var colleagueId = (await DeskAgent.FindAsync(_desk.Databases, Tenant, "sneller"))!.Id;
        await DrainQueueAsync();
        var calls = new[] { await QueuedCallAsync(Tenant, DeskServer.KeyC), await QueuedCallAsync(Tenant, DeskServer.KeyC) };
        var take = await WhileColleagueTakesAsync(calls[0].Id, colleagueId, () => agent.PostAsync("/desk", "/desk/contacts/take-next"));
        Assert.EndsWith("/desk?message=routed", take.Headers.Location!.OriginalString);
        Assert.Equal(colleagueId, (await FindAsync(calls[0].Id))!.AgentId);
        Assert.Equal(agentId, (await FindAsync(calls[1].Id))!.AgentId);
        Assert.True(Exchange.Routes.TryDequeue(out var routed));
        Assert.Equal(calls[1].CallId, JsonDocument.Parse(routed.Body).RootElement.GetProperty("call_id").GetString());
        Assert.Empty(Exchange.Routes);

        var chats = _desk.Server.App.Services.GetRequiredService<Chat.ChatStore>();
        await chats.SetAvailableAsync(Tenant, agentId, true, CancellationToken.None);
        var chatIds = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (_, attrUrl) = await _desk.StartChatAsync(Tenant);
            chatIds.Add(attrUrl.Split('/')[^1]);
            Assert.True(await chats.EnqueueAsync(Tenant, chatIds[^1], CancellationToken.None));
        }

        take = await WhileColleagueTakesAsync(chatIds[0], colleagueId, () => agent.PostAsync("/desk", "/desk/chats/take-next"));
        Assert.EndsWith($"/desk/chats/{chatIds[1]}", take.Headers.Location!.OriginalString);
        Assert.Equal(colleagueId, (await FindAsync(chatIds[0]))!.AgentId);
        Assert.Equal(agentId, (await FindAsync(chatIds[1]))!.AgentId);
    }

    /// <summary>Locks the session's row, starts <paramref name="press"/>, waits until it waits for that lock, then takes the session for the colleague.</summary>
    private async Task<HttpResponseMessage> WhileColleagueTakesAsync(string sessionId, string colleagueId, Func<Task<HttpResponseMessage>> press)
    {
        await using var db = _desk.Databases.Open(Tenant);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Sessions\" WHERE \"Id\" = {sessionId} FOR UPDATE");
        var pressed = press();
        await using (var watcher = _desk.Databases.Open(Tenant))
        {
            for (var polls = 0; !await LockWaitedAsync(watcher); polls++)
            {
                Assert.True(polls < 600 && !pressed.IsCompleted, "the take never reached the locked row");
                await Task.Delay(50);
            }
        }

        await db.Database.ExecuteSqlAsync($"UPDATE \"Sessions\" SET \"State\" = 2, \"AgentId\" = {colleagueId} WHERE \"Id\" = {sessionId}");
        await transaction.CommitAsync();
        return await pressed;
    }

    private static async Task<bool> LockWaitedAsync(Tenants.DeskDbContext watcher) =>
        await watcher.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() > 0;
}
