using IdContact.Desk.Agents;
using IdContact.Desk.Video;
using IdContact.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// An appointment is over when the resident's join says "too late" (the slot's end plus GraceMinutes): it leaves the
/// appointments with actions for Afgelopen, and the incoming-contacts list stops offering its call; both databases.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task An_appointment_just_over_moves_to_Afgelopen_and_one_still_in_its_grace_stays_among_the_coming_ones()
    {
        var tenant = desk.TenantD;
        var video = Tenant(tenant).Desk().Video;
        // Far ahead of every other test's appointments, so these are the most recent ones that are over.
        var now = new DateTimeOffset(2045, 3, 6, 10, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        var store = desk.Appointments(clock);
        var planner = await PlannerAsync(tenant);
        // Ends exactly GraceMinutes ago: the join still opens. One tick earlier: the join says too late.
        var lastEnd = now.AddMinutes(-video.GraceMinutes);
        var stays = await store.PlanAsync(tenant, "report_move", "nog@example.nl", lastEnd.AddMinutes(-video.SlotMinutes), planner, CancellationToken.None);
        var over = await store.PlanAsync(tenant, "report_move", "voorbij@example.nl", lastEnd.AddMinutes(-video.SlotMinutes).AddTicks(-1), planner, CancellationToken.None);
        Assert.Equal(LinkOutcome.Open, store.Window(tenant, stays.Appointment));
        Assert.Equal(LinkOutcome.Over, store.Window(tenant, over.Appointment));

        var list = desk.AppointmentList(clock);
        var coming = await list.TodayAndComingAsync(tenant, CancellationToken.None);
        Assert.Contains(coming, a => a.Id == stays.Appointment.Id);
        Assert.DoesNotContain(coming, a => a.Id == over.Appointment.Id);
        var past = await list.OverAsync(tenant, CancellationToken.None);
        Assert.Equal(over.Appointment.Id, past.Rows[0].Id);
        Assert.DoesNotContain(past.Rows, a => a.Id == stays.Appointment.Id);

        // The incoming-contacts list agrees: both residents came; only the one still open offers its call.
        await store.ArriveAsync(tenant, stays.Appointment.SessionId, CancellationToken.None);
        await store.ArriveAsync(tenant, over.Appointment.SessionId, CancellationToken.None);
        var agent = new Agent { Id = planner, UserName = "planner" };
        var contacts = desk.Contacts(clock);
        Task<ContactView> ViewAsync(string session) =>
            contacts.IncomingAsync(tenant, Tenant(tenant), agent, false, null, CancellationToken.None, session).ContinueWith(t => t.Result.Single(), TaskScheduler.Default);
        Assert.False((await ViewAsync(stays.Appointment.SessionId)).Over);
        Assert.True((await ViewAsync(over.Appointment.SessionId)).Over);
    }

    [Fact]
    public async Task The_Afspraken_page_and_the_overview_show_an_appointment_that_is_over_without_actions_and_one_going_on_with_them()
    {
        var tenant = desk.TenantD;
        var video = Tenant(tenant).Desk().Video;
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "afgelopen-kijker", null);
        var planner = (await DeskAgent.FindAsync(desk.Databases, tenant, "afgelopen-kijker"))!.Id;
        // The server's own clock: an appointment going on now, and one whose join closed five minutes ago.
        var store = desk.Appointments(TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var going = await store.PlanAsync(tenant, "report_move", "bezig@example.nl", now.AddMinutes(-5), planner, CancellationToken.None);
        var over = await store.PlanAsync(tenant, "report_move", "klaar@example.nl", now.AddMinutes(-video.SlotMinutes - video.GraceMinutes - 5), planner, CancellationToken.None);
        // Its slot ended a minute ago, its grace has not: the call still opens, but nothing is left to cancel.
        var grace = await store.PlanAsync(tenant, "report_move", "uitloop@example.nl", now.AddMinutes(-video.SlotMinutes - 1), planner, CancellationToken.None);
        await store.ArriveAsync(tenant, going.Appointment.SessionId, CancellationToken.None);
        await store.ArriveAsync(tenant, over.Appointment.SessionId, CancellationToken.None);

        var page = await agent.ReadAsync("/desk/appointments/list");
        var pastTable = page.IndexOf("id=\"over-appointments\"", StringComparison.Ordinal);
        Assert.True(pastTable > 0, "an Afgelopen table");
        Assert.Contains(">Afgelopen</h2>", page, StringComparison.Ordinal);
        var goingRow = Row(page, going.Appointment.Id);
        var overRow = Row(page, over.Appointment.Id);
        Assert.True(page.IndexOf(goingRow, StringComparison.Ordinal) < pastTable, "the one going on is among the coming ones");
        Assert.True(page.IndexOf(overRow, StringComparison.Ordinal) > pastTable, "the one over is under Afgelopen");
        Assert.Contains("Videogesprek openen", goingRow, StringComparison.Ordinal);
        Assert.Contains("Afspraak annuleren", goingRow, StringComparison.Ordinal);
        var graceRow = Row(page, grace.Appointment.Id);
        Assert.True(page.IndexOf(graceRow, StringComparison.Ordinal) < pastTable, "the one in its grace is among the coming ones");
        Assert.Contains("Videogesprek openen", graceRow, StringComparison.Ordinal);
        Assert.DoesNotContain("Afspraak annuleren", graceRow, StringComparison.Ordinal);
        Assert.Contains("Afgelopen; de inwoner was er", overRow, StringComparison.Ordinal);
        foreach (var action in new[] { "Videogesprek openen", "Afspraak annuleren", "Aannemen", "Toewijzen", "<form" })
        {
            Assert.DoesNotContain(action, overRow, StringComparison.Ordinal);
        }

        // A take or an assignment posted from a page loaded before it moved (a stale page) leaves it as it was, and says why.
        await DeskAgent.CreateAsync(desk.Databases, tenant, "afgelopen-collega");
        var colleague = (await DeskAgent.FindAsync(desk.Databases, tenant, "afgelopen-collega"))!.Id;
        var before = (await store.FindBySessionAsync(tenant, over.Appointment.SessionId, CancellationToken.None))!.AgentId;
        foreach (var (action, fields) in new[] { ("take", Array.Empty<(string, string)>()), ("assign", new[] { ("agent", colleague) }) })
        {
            var stale = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{over.Appointment.Id}/{action}", fields);
            Assert.Equal($"/{tenant}/desk/appointments?message=over", stale.Headers.Location?.OriginalString);
        }

        Assert.Equal(before, (await store.FindBySessionAsync(tenant, over.Appointment.SessionId, CancellationToken.None))!.AgentId);
        Assert.Contains("Die afspraak is voorbij; hij kan niet meer worden aangenomen of toegewezen.", await agent.ReadAsync("/desk/appointments?message=over"), StringComparison.Ordinal);
        // One in its grace can still be handed on: its call still opens.
        var assigned = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{grace.Appointment.Id}/assign", ("agent", colleague));
        Assert.Equal($"/{tenant}/desk/appointments?message=assigned", assigned.Headers.Location?.OriginalString);
        Assert.Equal(colleague, (await store.FindBySessionAsync(tenant, grace.Appointment.SessionId, CancellationToken.None))!.AgentId);

        var overview = await agent.ReadAsync("/desk");
        Assert.Contains($"/desk/video/{going.Appointment.SessionId}\"", overview, StringComparison.Ordinal);
        Assert.DoesNotContain($"/desk/video/{over.Appointment.SessionId}", overview, StringComparison.Ordinal);
        Assert.Contains("Afgelopen; de inwoner was er", Card(overview, over.Appointment.SessionId), StringComparison.Ordinal);
    }

    private TenantOptions Tenant(string tenant) =>
        desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[tenant];

    /// <summary>The rendered table row of one appointment.</summary>
    private static string Row(string page, string appointmentId) => Between(page, $"data-appointment=\"{appointmentId}\"", "</tr>");

    /// <summary>The overview's card of one contact.</summary>
    private static string Card(string page, string sessionId) => Between(page, $"data-session=\"{sessionId}\"", "</article>");

    private static string Between(string page, string start, string end)
    {
        var from = page.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"{start} on the page");
        return page[from..page.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
