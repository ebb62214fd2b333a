using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// The agent's call page holds a lease (<see cref="CallLease"/>): a call whose agent's page is gone no longer counts as
/// running for assigning, cancelling, the queue notices and the Afspraken list; both databases, on the test clock.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task A_call_whose_agents_page_is_gone_can_be_taken_over_and_reopened_and_the_resident_is_told_they_may_wait()
    {
        var tenant = desk.TenantC;
        var services = desk.Server.App.Services;
        // A day of its own, far from other tests' appointments.
        var ten = new DateTimeOffset(2047, 6, 3, 10, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(ten.AddMinutes(1));
        var store = desk.Appointments(clock);
        var list = ActivatorUtilities.CreateInstance<AppointmentList>(services, clock);
        var lease = ActivatorUtilities.CreateInstance<CallLease>(services, clock);
        var queue = ActivatorUtilities.CreateInstance<VideoQueue>(services, clock);
        var cancellation = ActivatorUtilities.CreateInstance<AppointmentCancellation>(services, clock, store);
        // An agent of its own: another test's calls of a shared one, on other days, would count in this agent's queue.
        var holder = "leasehouder-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, holder);
        var agent = (await DeskAgent.FindAsync(desk.Databases, tenant, holder))!.Id;
        var colleague = "overnemer-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, colleague);
        var colleagueId = (await DeskAgent.FindAsync(desk.Databases, tenant, colleague))!.Id;
        var call = (await store.PlanAsync(tenant, "report_move", "lease@example.nl", ten, agent, CancellationToken.None)).Appointment;
        var next = (await store.PlanAsync(tenant, "report_move", "volgende@example.nl", ten, agent, CancellationToken.None)).Appointment;
        await store.ArriveAsync(tenant, next.SessionId, CancellationToken.None);
        async Task ResidentsSeenAsync()
        {
            DateTimeOffset? now = clock.GetUtcNow();
            await using var db = desk.Databases.Open(tenant);
            await db.Sessions.Where(s => s.Id == call.SessionId || s.Id == next.SessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, now));
        }

        async Task<AppointmentRow> RowAsync() => (await list.TodayAndComingAsync(tenant, CancellationToken.None)).Single(r => r.Id == call.Id);

        // The agent opened the call: it runs, so it is neither moved nor cancelled, and the next resident hears the agent is busy.
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, call.SessionId, agent, CancellationToken.None));
        await ResidentsSeenAsync();
        Assert.True(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        Assert.Equal(AssignOutcome.InCall, await list.AssignAsync(tenant, call.Id, colleagueId, onlyIfFree: false, CancellationToken.None));
        Assert.True((await RowAsync()).InCall);
        Assert.Equal("In gesprek", WaitingRoom.Status((await RowAsync()).State, true, false, (await RowAsync()).AgentLeft));
        Assert.Null(await queue.ResidentNoticeAsync(tenant, call.SessionId, false, CancellationToken.None));
        Assert.Equal("De medewerker is nog in een gesprek. U bent de volgende.", await queue.ResidentNoticeAsync(tenant, next.SessionId, false, CancellationToken.None));

        // The page renews the lease: still running after more than a lease's length in all.
        var length = desk.Server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdContact.Hosting.IdContactOptions>>().Value.Desk().Chat.PresenceLease;
        clock.Advance(length - TimeSpan.FromSeconds(1));
        var seen = await lease.RenewAsync(tenant, call.SessionId, agent, CancellationToken.None);
        Assert.Equal(clock.GetUtcNow(), seen);
        clock.Advance(TimeSpan.FromSeconds(2));
        await ResidentsSeenAsync();
        Assert.True(await list.InCallAsync(tenant, call.Id, CancellationToken.None));

        // The agent's laptop died: once the lease lapsed the call no longer runs. The list says the agent left, the
        // resident may wait, the next resident no longer hears "still in a call", and an agent's cancel is no longer refused.
        clock.Advance(length + TimeSpan.FromSeconds(1));
        await ResidentsSeenAsync();
        Assert.False(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        var row = await RowAsync();
        Assert.True(row.AgentLeft);
        Assert.False(row.InCall);
        Assert.Equal("Medewerker niet meer in het gesprek", WaitingRoom.Status(row.State, row.Present, false, row.AgentLeft));
        Assert.Equal("Agent no longer in the call", WaitingRoom.Status(row.State, row.Present, true, row.AgentLeft));
        Assert.Equal(VideoQueue.AgentLeft(false), await queue.ResidentNoticeAsync(tenant, call.SessionId, false, CancellationToken.None));
        Assert.Equal(VideoQueue.AgentLeft(true), await queue.ResidentNoticeAsync(tenant, call.SessionId, true, CancellationToken.None));
        Assert.StartsWith("De verbinding van de medewerker is weg. U kunt op deze pagina wachten", VideoQueue.AgentLeft(false), StringComparison.Ordinal);
        Assert.Null(await queue.ResidentNoticeAsync(tenant, next.SessionId, false, CancellationToken.None));

        // The same agent reopens the call: it runs again (and the page's first renewal keeps it so).
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, call.SessionId, agent, CancellationToken.None));
        Assert.True(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        seen = await lease.RenewAsync(tenant, call.SessionId, agent, CancellationToken.None);
        Assert.NotNull(seen);

        // They close the page cleanly: the lease ends at once, and a colleague takes the call over.
        await lease.LeftAsync(tenant, call.SessionId, seen!.Value);
        Assert.False(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        Assert.Equal(AssignOutcome.Assigned, await list.AssignAsync(tenant, call.Id, colleagueId, onlyIfFree: false, CancellationToken.None));
        // The first agent's page (a late renewal) no longer holds the call; the colleague opens it.
        Assert.Null(await lease.RenewAsync(tenant, call.SessionId, agent, CancellationToken.None));
        Assert.False(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        Assert.Equal(AgentJoin.NotYours, await store.JoinAsAgentAsync(tenant, call.SessionId, agent, CancellationToken.None));
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, call.SessionId, colleagueId, CancellationToken.None));
        Assert.True(await list.InCallAsync(tenant, call.Id, CancellationToken.None));
        var byAgent = (await DeskAgent.FindAsync(desk.Databases, tenant, colleague))!;
        Assert.False(await cancellation.CancelByAgentAsync(tenant, call.Id, byAgent, CancellationToken.None));

        // The colleague's page goes too: now an agent's cancel goes through.
        clock.Advance(length + TimeSpan.FromSeconds(1));
        Assert.True(await cancellation.CancelByAgentAsync(tenant, call.Id, byAgent, CancellationToken.None));
    }
}
