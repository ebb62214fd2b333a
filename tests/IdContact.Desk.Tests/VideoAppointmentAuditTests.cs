using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Staff actions on appointments (Aannemen, Toewijzen, Afspraak annuleren) are in the audit trail as actions: who, which
/// appointment (its id), to whom; no address; a refused try is not; shown to administrators in Dutch and English; both databases.
/// </summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task Taking_assigning_and_cancelling_an_appointment_are_audited_with_its_id_and_shown_and_a_refused_try_is_not()
    {
        var tenant = desk.TenantC;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "afspraakactie-" + suffix, null);
        var colleague = "ontvanger-" + suffix;
        await DeskAgent.CreateAsync(desk.Databases, tenant, colleague);
        var colleagueId = (await DeskAgent.FindAsync(desk.Databases, tenant, colleague))!.Id;
        var store = desk.Appointments(TimeProvider.System);
        var free = (await store.PlanAsync(tenant, "report_move", $"vrij-{suffix}@example.nl", DateTimeOffset.UtcNow.AddHours(3), colleagueId, CancellationToken.None)).Appointment;
        await using (var db = desk.Databases.Open(tenant))
        {
            // Nobody holds it, as a resident's booking: Aannemen is offered.
            await db.Appointments.Where(a => a.Id == free.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.AgentId, (string?)null));
        }

        var moved = (await store.PlanAsync(tenant, "report_move", $"verplaatst-{suffix}@example.nl", DateTimeOffset.UtcNow.AddHours(3), colleagueId, CancellationToken.None)).Appointment;
        var dropped = (await store.PlanAsync(tenant, "report_move", $"geannuleerd-{suffix}@example.nl", DateTimeOffset.UtcNow.AddHours(3), colleagueId, CancellationToken.None)).Appointment;
        var running = (await store.PlanAsync(tenant, "report_move", $"loopt-{suffix}@example.nl", DateTimeOffset.UtcNow, colleagueId, CancellationToken.None)).Appointment;
        Assert.Equal(AgentJoin.Joined, await store.JoinAsAgentAsync(tenant, running.SessionId, colleagueId, CancellationToken.None));

        async Task<string> PostAsync(string path, params (string, string)[] fields) =>
            (await agent.PostAsync("/desk/appointments", path, fields)).Headers.Location!.ToString();
        Assert.Contains("message=taken", await PostAsync($"/desk/appointments/{free.Id}/take"), StringComparison.Ordinal);
        Assert.Contains("message=assigned", await PostAsync($"/desk/appointments/{moved.Id}/assign", ("agent", colleagueId)), StringComparison.Ordinal);
        Assert.Contains("message=cancelled", await PostAsync($"/desk/appointments/{dropped.Id}/cancel"), StringComparison.Ordinal);
        // Refused tries: taken already, a running call assigned or cancelled, an unknown id.
        Assert.Contains("message=gone", await PostAsync($"/desk/appointments/{free.Id}/take"), StringComparison.Ordinal);
        Assert.Contains("message=in-call", await PostAsync($"/desk/appointments/{running.Id}/assign", ("agent", colleagueId)), StringComparison.Ordinal);
        Assert.Contains("message=in-call", await PostAsync($"/desk/appointments/{running.Id}/cancel"), StringComparison.Ordinal);
        Assert.Contains("message=gone", await PostAsync("/desk/appointments/onbekend-id/cancel"), StringComparison.Ordinal);

        List<AdminAuditRecord> records;
        await using (var db = desk.Databases.Open(tenant))
        {
            records = await db.AdminAudit.AsNoTracking().Where(r => AdminActions.Appointments.Contains(r.Action) && r.AdminName == "afspraakactie-" + suffix).ToListAsync();
        }

        Assert.Equal(3, records.Count);
        var take = Assert.Single(records, r => r.Action == AdminActions.AppointmentTake);
        Assert.Equal((free.Id, "afspraakactie-" + suffix), (take.Detail, take.AgentName));
        var assign = Assert.Single(records, r => r.Action == AdminActions.AppointmentAssign);
        Assert.Equal((moved.Id, colleagueId, colleague), (assign.Detail, assign.AgentId, assign.AgentName));
        var cancel = Assert.Single(records, r => r.Action == AdminActions.AppointmentCancel);
        Assert.Equal((dropped.Id, ""), (cancel.Detail, cancel.AgentId));
        Assert.DoesNotContain(records, r => $"{r.AdminName} {r.AgentName} {r.Detail}".Contains('@', StringComparison.Ordinal));

        // Administrators see them in a list of their own, in Dutch and English.
        using var admin = await DeskAgent.SignedInAsync(desk, tenant, "afspraakbeheer-" + suffix, AgentAuthorization.AdminRole);
        var dutch = await admin.ReadAsync("/desk/admin/audit?kind=appointments");
        Assert.Contains($"afspraak {moved.Id} toegewezen", dutch, StringComparison.Ordinal);
        Assert.Contains($"afspraak {free.Id} aangenomen", dutch, StringComparison.Ordinal);
        Assert.Contains($"afspraak {dropped.Id} geannuleerd", dutch, StringComparison.Ordinal);
        Assert.Contains("Aan medewerker", dutch, StringComparison.Ordinal);
        Assert.DoesNotContain($"afspraak {running.Id}", dutch, StringComparison.Ordinal);
        Assert.DoesNotContain($"afspraak {moved.Id}", await admin.ReadAsync("/desk/admin/audit"), StringComparison.Ordinal);
        var english = await admin.ReadAsync("/desk/admin/audit?kind=appointments&lang=en");
        Assert.Contains($"appointment {moved.Id} assigned", english, StringComparison.Ordinal);
        Assert.Contains($"appointment {free.Id} taken", english, StringComparison.Ordinal);
        Assert.Contains($"appointment {dropped.Id} cancelled", english, StringComparison.Ordinal);
        await admin.ReadAsync("/desk/admin/audit?lang=nl");
    }
}
