using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// A busy video day from the booking pool (two video desks in these tests): what the waiting residents and the agent
/// whose call overran are told (<see cref="VideoQueue"/>); both databases.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task With_every_video_desk_still_in_a_call_the_first_waiting_resident_is_next_and_the_agent_whose_slot_ended_hears_who_waits()
    {
        var tenant = desk.TenantD;
        var video = Tenant(tenant).Desk().Video;
        Assert.Equal(2, video.Agents);
        // A day of its own, far from other tests' appointments (the pool counts every call of the tenant).
        var ten = new DateTimeOffset(2046, 5, 12, 10, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(ten.AddMinutes(5));
        var queue = ActivatorUtilities.CreateInstance<VideoQueue>(desk.Server.App.Services, clock);
        var agent = await PlannerAsync(tenant);
        var next = ten.AddMinutes(video.SlotMinutes);
        // Both desks are in a call of the 10:00 slot; two residents of the next slot (booked the same instant) wait.
        var mine = await PoolAsync(tenant, clock, ten, 1, ContactState.Active, agent);
        var colleagues = await PoolAsync(tenant, clock, ten, 2, ContactState.Active, agent);
        var first = await PoolAsync(tenant, clock, next, 1, ContactState.Queued, null);
        var second = await PoolAsync(tenant, clock, next, 2, ContactState.Queued, null);
        // Early (their slot has not begun) and the call's slot not over: nobody is told anything.
        await SeenAsync(tenant, clock, first, second);
        Assert.Null(await queue.ResidentNoticeAsync(tenant, first.SessionId, false, CancellationToken.None));
        Assert.Null(await queue.AgentNoticeAsync(tenant, mine, false, CancellationToken.None));

        // Their slot began, both desks' calls go on: of the two booked in the same instant, one is next (the id decides).
        clock.SetUtcNow(next.AddMinutes(5));
        await SeenAsync(tenant, clock, first, second);
        await AgentsSeenAsync(tenant, clock, mine, colleagues);
        const string Next = "De medewerker is nog in een gesprek. U bent de volgende.", Behind = "De medewerker is nog in een gesprek. Er wacht nog iemand voor u.";
        var firstSays = await queue.ResidentNoticeAsync(tenant, first.SessionId, false, CancellationToken.None);
        var (ahead, behind) = firstSays == Next ? (first, second) : (second, first);
        Assert.Equal(Next, await queue.ResidentNoticeAsync(tenant, ahead.SessionId, false, CancellationToken.None));
        Assert.Equal(Behind, await queue.ResidentNoticeAsync(tenant, behind.SessionId, false, CancellationToken.None));
        Assert.Equal("The agent is still in another call. Someone is waiting before you.", await queue.ResidentNoticeAsync(tenant, behind.SessionId, true, CancellationToken.None));
        // Times in Dutch time: 10:00 UTC in May is 12:00 in Amsterdam.
        Assert.Equal("De tijd van deze afspraak is om (12:30). De volgende inwoner wacht (afspraak van 12:30).", await queue.AgentNoticeAsync(tenant, mine, false, CancellationToken.None));
        Assert.Equal("This appointment's time is up (12:30). The next resident is waiting (appointment at 12:30).", await queue.AgentNoticeAsync(tenant, mine, true, CancellationToken.None));

        // A desk is free (the colleague hung up): the residents simply wait for it, no "still in a call".
        await desk.Appointments(clock).EndCallAsync(tenant, colleagues, CancellationToken.None);
        Assert.Null(await queue.ResidentNoticeAsync(tenant, ahead.SessionId, false, CancellationToken.None));

        // The residents closed their pages: the agent hears that nobody waits.
        await using (var db = desk.Databases.Open(tenant))
        {
            await db.Sessions.Where(s => s.Id == ahead.SessionId || s.Id == behind.SessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, (DateTimeOffset?)null));
        }

        Assert.Equal("De tijd van deze afspraak is om (12:30). Er wacht nog niemand.", await queue.AgentNoticeAsync(tenant, mine, false, CancellationToken.None));
    }

    /// <summary>A booked appointment of the pool (desk <paramref name="deskNumber"/>), its session in <paramref name="state"/>.</summary>
    private async Task<Appointment> PoolAsync(string tenant, TimeProvider clock, DateTimeOffset start, int deskNumber, ContactState state, string? agentId)
    {
        var (session, _) = await desk.Appointments(clock).StartAsync(tenant, "report_move", CancellationToken.None);
        DateTimeOffset? from = start, to = start.AddMinutes(Tenant(tenant).Desk().Video.SlotMinutes);
        int? number = deskNumber;
        await using var db = desk.Databases.Open(tenant);
        await db.Appointments.Where(a => a.SessionId == session.Id).ExecuteUpdateAsync(u => u
            .SetProperty(a => a.Start, from).SetProperty(a => a.End, to).SetProperty(a => a.DeskNumber, number).SetProperty(a => a.AgentId, agentId)
            .SetProperty(a => a.LinkHash, Secrets.Hash(Secrets.NewId(32))));
        // An active call's agent has its call page open (CallLease): its lease runs from now.
        DateTimeOffset? seen = state == ContactState.Active ? clock.GetUtcNow() : null;
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, state).SetProperty(s => s.AgentId, agentId).SetProperty(s => s.AgentSeenAt, seen));
        return await db.Appointments.AsNoTracking().SingleAsync(a => a.SessionId == session.Id);
    }

    /// <summary>The agents' call pages renew their leases (<see cref="CallLease"/>) now.</summary>
    private async Task AgentsSeenAsync(string tenant, TimeProvider clock, params Appointment[] calls)
    {
        DateTimeOffset? now = clock.GetUtcNow();
        var sessions = calls.Select(a => a.SessionId).ToList();
        await using var db = desk.Databases.Open(tenant);
        await db.Sessions.Where(s => sessions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentSeenAt, now));
    }

    /// <summary>The residents' call pages renew their leases now.</summary>
    private async Task SeenAsync(string tenant, TimeProvider clock, params Appointment[] waiting)
    {
        DateTimeOffset? now = clock.GetUtcNow();
        var sessions = waiting.Select(a => a.SessionId).ToList();
        await using var db = desk.Databases.Open(tenant);
        await db.Sessions.Where(s => sessions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, now));
    }
}

/// <summary>
/// A colleague's running call is not moved or cancelled from the Afspraken list (that cut it off); an ill agent's
/// coming appointments are moved to a colleague with the resident's link unchanged; both databases.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task A_running_call_is_neither_assigned_nor_cancelled_away_while_a_coming_one_moves_to_a_colleague_with_its_link()
    {
        var tenant = desk.TenantC;
        var ill = "ziek-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, ill);
        var illId = (await DeskAgent.FindAsync(desk.Databases, tenant, ill))!.Id;
        var colleague = "collega-" + Guid.NewGuid().ToString("N")[..6];
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, colleague, null);
        var colleagueId = (await DeskAgent.FindAsync(desk.Databases, tenant, colleague))!.Id;
        var store = desk.Appointments(TimeProvider.System);
        var running = await store.PlanAsync(tenant, "report_move", "loopt@example.nl", DateTimeOffset.UtcNow, illId, CancellationToken.None);
        var coming = await store.PlanAsync(tenant, "report_move", "straks@example.nl", DateTimeOffset.UtcNow.AddHours(2), illId, CancellationToken.None);
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, running.Appointment.SessionId, illId, CancellationToken.None));

        // The list offers neither for the call in progress; posted anyway (a page loaded before), both are refused.
        var list = await agent.ReadAsync("/desk/appointments/list");
        Assert.DoesNotContain($"/desk/appointments/{running.Appointment.Id}/assign", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/desk/appointments/{running.Appointment.Id}/cancel", list, StringComparison.Ordinal);
        Assert.Contains($"/desk/appointments/{coming.Appointment.Id}/assign", list, StringComparison.Ordinal);
        var assign = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{running.Appointment.Id}/assign", ("agent", colleagueId));
        Assert.Contains("message=in-call", assign.Headers.Location!.ToString(), StringComparison.Ordinal);
        var cancel = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{running.Appointment.Id}/cancel");
        Assert.Contains("message=in-call", cancel.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dat videogesprek loopt nog; het kan pas na afloop worden toegewezen of geannuleerd.", await agent.ReadAsync("/desk/appointments?message=in-call"), StringComparison.Ordinal);
        var still = (await store.FindBySessionAsync(tenant, running.Appointment.SessionId, CancellationToken.None))!;
        Assert.Equal(illId, still.AgentId);

        // The ill agent's coming appointment moves: the colleague holds it, and the resident's link is the same.
        var moved = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{coming.Appointment.Id}/assign", ("agent", colleagueId));
        Assert.Contains("message=assigned", moved.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(colleagueId, (await store.FindBySessionAsync(tenant, coming.Appointment.SessionId, CancellationToken.None))!.AgentId);
        var token = coming.Link[(coming.Link.LastIndexOf('/') + 1)..];
        Assert.Equal(LinkOutcome.TooEarly, (await store.OpenLinkAsync(tenant, token, CancellationToken.None)).Outcome);
    }
}

/// <summary>Two appointments of one agent at one time: the planning form allows it and says so; both databases.</summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task Planning_a_second_appointment_at_a_time_the_agent_already_has_one_plans_it_and_says_so()
    {
        var tenant = desk.TenantC;
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "dubbel-" + Guid.NewGuid().ToString("N")[..6], null);
        async Task<string> PlanAsync(string at) => await (await agent.PostAsync(
            "/desk/appointments", "/desk/appointments/plan", ("email", "beller@example.nl"), ("purpose", "report_move"), ("when", "later"), ("at", at))).Content.ReadAsStringAsync();

        // A day within the 90 days the form allows, at 10:00 Dutch time.
        var day = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var first = await PlanAsync($"{day}T10:00");
        Assert.Contains("Het videogesprek is gepland", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Let op", first, StringComparison.Ordinal);
        // A slot later: no overlap.
        Assert.DoesNotContain("Let op", await PlanAsync($"{day}T10:{Tenant(tenant).Desk().Video.SlotMinutes:00}"), StringComparison.Ordinal);
        var second = await PlanAsync($"{day}T10:05");
        var ten = AppointmentMail.When(DutchTime.Instant(DateTime.ParseExact($"{day}T10:00", "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("Het videogesprek is gepland", second, StringComparison.Ordinal);
        Assert.Contains($"Let op: u heeft op dat moment al een andere afspraak ({ten}); een collega kan er een overnemen (Toewijzen).", second, StringComparison.Ordinal);
    }
}
