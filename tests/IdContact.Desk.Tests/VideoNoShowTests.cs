using IdContact.Desk.Admin;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// *Inwoner niet verschenen*: after the start (plus <see cref="AppointmentList.NoShowAfter"/>) the agent holding an
/// appointment, or any agent for one nobody holds, ends it as not come; refused before, for a running call, a waiting
/// resident or a colleague's; audited; both databases, on the test clock.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task A_resident_who_did_not_come_is_marked_only_after_the_start_and_then_the_appointment_is_over_and_its_link_closed()
    {
        var tenant = desk.TenantC;
        var services = desk.Server.App.Services;
        var nine = new DateTimeOffset(2048, 2, 6, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(nine.AddMinutes(1));
        var store = desk.Appointments(clock);
        var list = ActivatorUtilities.CreateInstance<AppointmentList>(services, clock);
        var holder = "afwezigheid-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, holder);
        var agent = (await DeskAgent.FindAsync(desk.Databases, tenant, holder))!.Id;
        var colleague = "nietverschenen-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, colleague);
        var colleagueId = (await DeskAgent.FindAsync(desk.Databases, tenant, colleague))!.Id;
        var absent = await store.PlanAsync(tenant, "report_move", "afwezig@example.nl", nine, agent, CancellationToken.None);
        var running = (await store.PlanAsync(tenant, "report_move", "bezig@example.nl", nine, agent, CancellationToken.None)).Appointment;
        var waiting = (await store.PlanAsync(tenant, "report_move", "wacht@example.nl", nine, agent, CancellationToken.None)).Appointment;
        var token = absent.Link[(absent.Link.LastIndexOf('/') + 1)..];

        // Before the start plus five minutes: refused, and the row does not offer it.
        clock.SetUtcNow(nine + AppointmentList.NoShowAfter - TimeSpan.FromSeconds(1));
        Assert.False(await list.MarkNoShowAsync(tenant, absent.Appointment.Id, agent, CancellationToken.None));
        Assert.False((await list.TodayAndComingAsync(tenant, CancellationToken.None)).Single(r => r.Id == absent.Appointment.Id).OffersNoShow(agent));

        // A running call and a resident in the waiting room are refused; a colleague's appointment too.
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, running.SessionId, agent, CancellationToken.None));
        clock.SetUtcNow(nine + AppointmentList.NoShowAfter);
        await using (var db = desk.Databases.Open(tenant))
        {
            DateTimeOffset? now = clock.GetUtcNow();
            await db.Sessions.Where(s => s.Id == running.SessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentSeenAt, now));
            await db.Sessions.Where(s => s.Id == waiting.SessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, now));
        }

        Assert.False(await list.MarkNoShowAsync(tenant, running.Id, agent, CancellationToken.None));
        Assert.False(await list.MarkNoShowAsync(tenant, waiting.Id, agent, CancellationToken.None));
        Assert.False(await list.MarkNoShowAsync(tenant, absent.Appointment.Id, colleagueId, CancellationToken.None));
        var rows = await list.TodayAndComingAsync(tenant, CancellationToken.None);
        Assert.True(rows.Single(r => r.Id == absent.Appointment.Id).OffersNoShow(agent));
        Assert.False(rows.Single(r => r.Id == absent.Appointment.Id).OffersNoShow(colleagueId));
        Assert.False(rows.Single(r => r.Id == running.Id).OffersNoShow(agent));
        Assert.False(rows.Single(r => r.Id == waiting.Id).OffersNoShow(agent));
        Assert.Equal(LinkOutcome.Open, (await store.OpenLinkAsync(tenant, token, CancellationToken.None)).Outcome);

        // The agent holding it marks it: over at once; a second mark (a replay) is refused.
        Assert.True(await list.MarkNoShowAsync(tenant, absent.Appointment.Id, agent, CancellationToken.None));
        Assert.False(await list.MarkNoShowAsync(tenant, absent.Appointment.Id, agent, CancellationToken.None));
        Assert.Equal(LinkOutcome.Over, (await store.OpenLinkAsync(tenant, token, CancellationToken.None)).Outcome);
        Assert.Equal(AgentJoin.Over, await store.JoinAsAgentAsync(tenant, absent.Appointment.SessionId, agent, CancellationToken.None));
        Assert.DoesNotContain(await list.TodayAndComingAsync(tenant, CancellationToken.None), r => r.Id == absent.Appointment.Id);
        Assert.Contains((await list.OverAsync(tenant, CancellationToken.None)).Rows, r => r.Id == absent.Appointment.Id);

        // Retention deletes it, its session too, Desk:RetentionMinutes after its (new) end, as for any ended appointment.
        var retention = TimeSpan.FromMinutes(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdContact.Hosting.IdContactOptions>>().Value.Desk().RetentionMinutes);
        DateTimeOffset end;
        await using (var db = desk.Databases.Open(tenant))
        {
            end = (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == absent.Appointment.Id)).End!.Value;
        }

        Assert.True(end < clock.GetUtcNow());
        await desk.Retention(new FakeTimeProvider(end + retention - TimeSpan.FromMinutes(1))).SweepAsync(CancellationToken.None);
        await using (var db = desk.Databases.Open(tenant))
        {
            Assert.True(await db.Appointments.AnyAsync(a => a.Id == absent.Appointment.Id));
        }

        await desk.Retention(new FakeTimeProvider(end + retention + TimeSpan.FromMinutes(1))).SweepAsync(CancellationToken.None);
        await using (var db = desk.Databases.Open(tenant))
        {
            Assert.False(await db.Appointments.AnyAsync(a => a.Id == absent.Appointment.Id));
            Assert.False(await db.Sessions.AnyAsync(s => s.Id == absent.Appointment.SessionId));
        }
    }

    [Fact]
    public async Task Marking_a_no_show_on_Afspraken_is_audited_and_a_refused_try_is_not()
    {
        var tenant = desk.TenantC;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "niet-verschenen-" + suffix, null);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, tenant, "niet-verschenen-" + suffix))!.Id;
        var store = desk.Appointments(TimeProvider.System);
        var late = (await store.PlanAsync(tenant, "report_move", $"laat-{suffix}@example.nl", DateTimeOffset.UtcNow.AddMinutes(-6), agentId, CancellationToken.None)).Appointment;
        var soon = (await store.PlanAsync(tenant, "report_move", $"straks-{suffix}@example.nl", DateTimeOffset.UtcNow.AddHours(1), agentId, CancellationToken.None)).Appointment;
        var list = await agent.ReadAsync("/desk/appointments/list");
        Assert.Contains($"/desk/appointments/{late.Id}/no-show", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/desk/appointments/{soon.Id}/no-show", list, StringComparison.Ordinal);

        Assert.Contains("message=no-show-refused", (await agent.PostAsync("/desk/appointments", $"/desk/appointments/{soon.Id}/no-show")).Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("message=no-show", (await agent.PostAsync("/desk/appointments", $"/desk/appointments/{late.Id}/no-show")).Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Vastgelegd: de inwoner is niet verschenen.", await agent.ReadAsync("/desk/appointments?message=no-show"), StringComparison.Ordinal);
        await using var db = desk.Databases.Open(tenant);
        var records = await db.AdminAudit.AsNoTracking().Where(r => r.AdminId == agentId && r.Action == AdminActions.AppointmentNoShow).ToListAsync();
        Assert.Equal(late.Id, Assert.Single(records).Detail);
        Assert.Equal("afspraak " + late.Id + ": inwoner niet verschenen", AdminActionText.Describe(records[0], false));
        Assert.Equal("appointment " + late.Id + ": resident did not come", AdminActionText.Describe(records[0], true));
    }
}
