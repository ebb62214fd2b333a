using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>The appointment's e-mail address is encrypted at rest; every mail still goes to it. Run once per database provider.</summary>
public abstract partial class AppointmentEmailAtRestTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task A_booked_and_a_planned_address_are_stored_encrypted_and_every_mail_goes_to_the_right_address()
    {
        var booker = $"Rust-Inwoner-{Guid.NewGuid():N}@example.nl";
        var caller = $"rust-beller-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        Assert.Equal(HttpStatusCode.OK, (await resident.BookAndFollowAsync(slot, booker)).StatusCode);
        Assert.Equal(booker, Assert.Single((await Smtp4dev.WaitForAsync(booker)).To.Mailboxes).Address);

        var user = "rust-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var planned = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", caller), ("purpose", "report_move"), ("when", "now"));
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var invitation = await Smtp4dev.WaitForAsync(caller);
        Assert.Equal(caller, Assert.Single(invitation.To.Mailboxes).Address);

        // The rows hold ciphertext only: read the column itself.
        var bookedId = Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, booker)).Id;
        var plannedId = Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, caller)).Id;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            foreach (var (id, email) in new[] { (bookedId, booker), (plannedId, caller) })
            {
                var stored = await db.Database.SqlQuery<string>($"SELECT \"Email\" AS \"Value\" FROM \"Appointments\" WHERE \"Id\" = {id}").SingleAsync();
                Assert.StartsWith(AppointmentEmailProtector.Prefix, stored, StringComparison.Ordinal);
                Assert.DoesNotContain(email.Split('@')[0], stored, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("example.nl", stored, StringComparison.OrdinalIgnoreCase);
            }
        }

        // The Afspraken page lists the booking; cancelled there, the cancellation goes to the address it was booked with.
        Assert.Contains($"data-appointment=\"{bookedId}\"", await (await agent.GetAsync("/desk/appointments/list")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var done = await agent.PostAsync($"/desk/appointments/{bookedId}/cancel", $"/desk/appointments/{bookedId}/cancel");
        Assert.Contains("message=cancelled", done.Headers.Location!.ToString(), StringComparison.Ordinal);
        var cancelled = await Smtp4dev.WaitForAsync(booker, m => m.Subject!.StartsWith("Geannuleerd", StringComparison.Ordinal));
        Assert.Equal(booker, Assert.Single(cancelled.To.Mailboxes).Address);

        // The caller cancels with the link of the invitation: the cancellation goes to the caller.
        var cancel = CancelLink().Match(invitation.TextBody!).Value;
        var browser = new Resident(new Uri(desk.Server.BaseUrl), cancel);
        var ask = await browser.Client.GetStringAsync(cancel);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostFormAsync(cancel, ask)).StatusCode);
        var theirs = await Smtp4dev.WaitForAsync(caller, m => m.Subject!.StartsWith("Geannuleerd", StringComparison.Ordinal));
        Assert.Equal(caller, Assert.Single(theirs.To.Mailboxes).Address);
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(booker, StringComparison.OrdinalIgnoreCase) || m.Contains(caller, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_address_of_another_municipality_or_corrupted_reads_as_none_and_the_appointment_still_cancels()
    {
        var email = $"rust-vreemd-{Guid.NewGuid():N}@example.nl";
        var start = DateTimeOffset.UtcNow.AddDays(2);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "rust-planner"))?.Id;
        if (agentId is null)
        {
            await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "rust-planner");
            agentId = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "rust-planner"))!.Id;
        }

        var booked = await desk.Appointments(TimeProvider.System).PlanAsync(desk.TenantA, "report_move", email, start, agentId, CancellationToken.None);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var ofB = desk.Emails.Protect(desk.TenantB, email);
            await db.Appointments.Where(a => a.Id == booked.Appointment.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, ofB));
        }

        Assert.Null((await desk.Appointments(TimeProvider.System).FindOpenAsync(desk.TenantA, booked.Appointment.Id, CancellationToken.None))!.Email);
        Assert.True(await desk.Cancellation(TimeProvider.System).CancelByLinkAsync(desk.TenantA, booked.CancelLink.Split('/')[^1], CancellationToken.None));
        Assert.Contains(desk.Logs.Messages, m => m.Contains($"appointment {booked.Appointment.Id} cannot be decrypted", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<Resident> ResidentAsync(string tenant)
    {
        var response = await desk.Server.Client.PostAsJsonAsync($"/{tenant}/video/start_communication", new { purpose = "report_move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var resident = new Resident(new Uri(desk.Server.BaseUrl), body.GetProperty("client_url").GetString()!);
        await resident.LoadAsync();
        return resident;
    }

    [GeneratedRegex("https?://\\S+/video/cancel/[A-Za-z0-9_-]+")]
    private static partial Regex CancelLink();
}

public sealed class SqliteAppointmentEmailAtRestTests(SqliteDeskServer desk) : AppointmentEmailAtRestTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresAppointmentEmailAtRestTests(PostgresDeskServer desk) : AppointmentEmailAtRestTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
