using System.Text.RegularExpressions;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace IdContact.Desk.Tests;

/// <summary>
/// The reminder e-mail before a video appointment (V1): scheduled in the outbox with the booking, sent once at
/// start − ReminderHours (24), never for an appointment made later than that, removed by cancelling, dropped at the
/// start, deleted by retention. Clocks are years ahead, so the server's own outbox loop never finds these reminders due.
/// </summary>
public abstract class VideoReminderTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task A_booking_days_ahead_schedules_a_reminder_that_goes_once_at_its_time_in_the_booking_language_with_both_links()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 6, 7, 6, 0, 0, TimeSpan.Zero));
        var email = $"reminder-{Guid.NewGuid():N}@example.nl";
        var booked = await BookAsync(clock, email, AppointmentMail.English, TimeSpan.FromDays(3));
        var start = booked.Appointment.Start!.Value;
        var stored = Assert.Single(await OutboxAsync(booked.Appointment.Id));
        Assert.Equal(start.AddHours(-24), stored.NextAttemptAt);
        Assert.Equal(start, stored.SendBefore);
        Assert.DoesNotContain(email, stored.ProtectedMessage, StringComparison.Ordinal);

        // Two desk instances, each with its own outbox loop, on one database: not before its time, then exactly once.
        var transport = new Transport(desk.Server.App.Services.GetRequiredService<IMailTransport>());
        MailOutbox first = Outbox(clock, transport), second = Outbox(clock, transport);
        await Task.WhenAll(first.ProcessAsync(CancellationToken.None), second.ProcessAsync(CancellationToken.None));
        clock.SetUtcNow(start.AddHours(-24).AddMinutes(-1));
        await Task.WhenAll(first.ProcessAsync(CancellationToken.None), second.ProcessAsync(CancellationToken.None));
        Assert.Empty(transport.SentTo(email));

        // Waiting for its time is no failure: the agents' list does not say "E-mail niet verstuurd".
        Assert.False((await RowAsync(clock, booked)).MailFailed);
        Assert.DoesNotContain("mail-failed", await AgentRowAsync(booked), StringComparison.Ordinal);

        clock.SetUtcNow(start.AddHours(-24));
        await Task.WhenAll(first.ProcessAsync(CancellationToken.None), second.ProcessAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromHours(1));
        await Task.WhenAll(first.ProcessAsync(CancellationToken.None), second.ProcessAsync(CancellationToken.None));
        Assert.Single(transport.SentTo(email));
        Assert.Empty(await OutboxAsync(booked.Appointment.Id));

        // Through real SMTP: English as booked, the time, both links, no .ics, dated when it went.
        var mail = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Reminder:", StringComparison.Ordinal));
        Assert.StartsWith("Reminder: your video appointment with ", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith($" on {AppointmentMail.When(start, english: true)}", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("This is a reminder of your video appointment with", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Dutch time)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(booked.Link + "?lang=en", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(booked.CancelLink + "?lang=en", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(booked.Link + "?lang=en"), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
        Assert.Equal(start.AddHours(-24), mail.Date);

        var logs = string.Join('\n', desk.Logs.Messages);
        Assert.DoesNotContain(email, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(booked.Link.Split('/')[^1], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(booked.CancelLink.Split('/')[^1], logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_planning_a_call_days_ahead_gives_the_caller_a_reminder_in_the_language_chosen()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 7, 5, 7, 0, 0, TimeSpan.Zero));
        var email = $"herinnering-{Guid.NewGuid():N}@example.nl";
        var start = clock.GetUtcNow().AddDays(2);
        var booked = await desk.Appointments(clock).PlanAsync(desk.TenantA, "report_move", email, start, await PlannerAsync(), AppointmentMail.Dutch, CancellationToken.None);
        Assert.Single(await OutboxAsync(booked.Appointment.Id));

        var transport = new Transport(desk.Server.App.Services.GetRequiredService<IMailTransport>());
        clock.SetUtcNow(start.AddHours(-24));
        await Outbox(clock, transport).ProcessAsync(CancellationToken.None);
        Assert.Single(transport.SentTo(email));

        var mail = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Herinnering:", StringComparison.Ordinal));
        Assert.StartsWith("Herinnering: uw videoafspraak met ", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith($" op {AppointmentMail.When(start)}", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Dit is een herinnering aan uw videoafspraak met", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Nederlandse tijd)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(booked.Link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(booked.CancelLink, mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("?lang=en", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("lang=\"nl\"", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appointment_made_within_the_reminder_window_gets_no_reminder_and_one_made_just_before_it_does()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 8, 2, 6, 0, 0, TimeSpan.Zero));
        var booked = await BookAsync(clock, "binnenkort@example.nl", AppointmentMail.Dutch, TimeSpan.FromHours(2));
        Assert.True(booked.Appointment.Start < clock.GetUtcNow().AddHours(24));
        var store = desk.Appointments(clock);
        var now = await store.PlanAsync(desk.TenantA, "report_move", "nu@example.nl", clock.GetUtcNow(), await PlannerAsync(), CancellationToken.None);
        var inADay = await store.PlanAsync(desk.TenantA, "report_move", "morgen@example.nl", clock.GetUtcNow().AddHours(24), await PlannerAsync(), CancellationToken.None);
        var justOver = await store.PlanAsync(desk.TenantA, "report_move", "overmorgen@example.nl", clock.GetUtcNow().AddHours(24).AddMinutes(1), await PlannerAsync(), CancellationToken.None);

        Assert.Empty(await OutboxAsync(booked.Appointment.Id));
        Assert.Empty(await OutboxAsync(now.Appointment.Id));
        Assert.Empty(await OutboxAsync(inADay.Appointment.Id));
        Assert.Equal(clock.GetUtcNow().AddMinutes(1), Assert.Single(await OutboxAsync(justOver.Appointment.Id)).NextAttemptAt);
    }

    [Fact]
    public async Task Cancelling_by_the_resident_or_an_agent_removes_the_reminder_and_it_never_goes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 9, 6, 6, 0, 0, TimeSpan.Zero));
        var transport = new Transport(desk.Server.App.Services.GetRequiredService<IMailTransport>());
        var outbox = Outbox(clock, transport);
        string byResident = $"zelf-{Guid.NewGuid():N}@example.nl", byAgent = $"door-gemeente-{Guid.NewGuid():N}@example.nl";
        var resident = await BookAsync(clock, byResident, AppointmentMail.Dutch, TimeSpan.FromDays(3));
        var agentPlanned = await desk.Appointments(clock).PlanAsync(desk.TenantA, "report_move", byAgent, clock.GetUtcNow().AddDays(4), await PlannerAsync(), CancellationToken.None);
        Assert.Single(await OutboxAsync(resident.Appointment.Id));
        Assert.Single(await OutboxAsync(agentPlanned.Appointment.Id));

        var cancellation = desk.Cancellation(clock, outbox);
        Assert.True(await cancellation.CancelByLinkAsync(desk.TenantA, resident.CancelLink.Split('/')[^1], CancellationToken.None));
        var agent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "planner"))!;
        Assert.True(await cancellation.CancelByAgentAsync(desk.TenantA, agentPlanned.Appointment.Id, agent, CancellationToken.None));

        // Only the cancellations went (at once); the reminders are gone from the outbox and never go.
        Assert.Empty(await OutboxAsync(resident.Appointment.Id));
        Assert.Empty(await OutboxAsync(agentPlanned.Appointment.Id));
        foreach (var due in new[] { resident.Appointment.Start!.Value.AddHours(-24), agentPlanned.Appointment.Start!.Value.AddHours(-24) })
        {
            clock.SetUtcNow(due);
            await outbox.ProcessAsync(CancellationToken.None);
        }

        Assert.Equal("Geannuleerd", Assert.Single(transport.SentTo(byResident)).Subject!.Split(':')[0]);
        Assert.Equal("Geannuleerd", Assert.Single(transport.SentTo(byAgent)).Subject!.Split(':')[0]);
    }

    [Fact]
    public async Task An_appointment_stored_with_an_address_MimeKit_cannot_address_gets_no_reminder_and_is_still_cancelled()
    {
        // Stored before the booking pages checked addresses with MimeKit (VideoEndpoints.IsEmail).
        const string bad = "dot-before-at.@example.nl";
        Assert.False(VideoEndpoints.IsEmail(bad));
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 10, 4, 6, 0, 0, TimeSpan.Zero));
        var store = desk.Appointments(clock);
        var byResident = await store.PlanAsync(desk.TenantA, "report_move", bad, clock.GetUtcNow().AddDays(3), await PlannerAsync(), CancellationToken.None);
        Assert.Empty(await OutboxAsync(byResident.Appointment.Id));
        var byAgent = await store.PlanAsync(desk.TenantA, "report_move", $"later-fout-{Guid.NewGuid():N}@example.nl", clock.GetUtcNow().AddDays(3), await PlannerAsync(), CancellationToken.None);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            await db.Appointments.Where(a => a.Id == byAgent.Appointment.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, bad));
        }

        // Both cancel (no exception, so no 500), without a cancellation e-mail; the waiting reminder goes too.
        var cancellation = desk.Cancellation(clock, Outbox(clock, new Transport(desk.Server.App.Services.GetRequiredService<IMailTransport>())));
        Assert.True(await cancellation.CancelByLinkAsync(desk.TenantA, byResident.CancelLink.Split('/')[^1], CancellationToken.None));
        var agent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "planner"))!;
        Assert.True(await cancellation.CancelByAgentAsync(desk.TenantA, byAgent.Appointment.Id, agent, CancellationToken.None));
        foreach (var id in new[] { byResident.Appointment.Id, byAgent.Appointment.Id })
        {
            Assert.Empty(await OutboxAsync(id));
            await using var db = desk.Databases.Open(desk.TenantA);
            var row = await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id);
            Assert.NotNull(row.CancelledAt);
            Assert.Null(row.Email);
        }

        var logs = string.Join('\n', desk.Logs.Messages);
        Assert.Contains($"Appointment {byAgent.Appointment.Id} of tenant {desk.TenantA} cancelled without a cancellation e-mail", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(bad, logs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_reminder_not_sent_before_the_start_is_dropped_not_sent_late_and_no_longer_shown_as_failed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 10, 4, 6, 0, 0, TimeSpan.Zero));
        var transport = new Transport(desk.Server.App.Services.GetRequiredService<IMailTransport>()) { Failing = true };
        var outbox = Outbox(clock, transport);
        var email = $"te-laat-{Guid.NewGuid():N}@example.nl";
        var booked = await BookAsync(clock, email, AppointmentMail.Dutch, TimeSpan.FromDays(3));
        var start = booked.Appointment.Start!.Value;

        // The mail server is down at its time: a failure like any other, shown to agents and retried.
        clock.SetUtcNow(start.AddHours(-24));
        await outbox.ProcessAsync(CancellationToken.None);
        Assert.Equal(1, Assert.Single(await OutboxAsync(booked.Appointment.Id)).Attempts);
        Assert.True((await RowAsync(clock, booked)).MailFailed);
        Assert.Contains("E-mail niet verstuurd (1 pogingen)", await AgentRowAsync(booked), StringComparison.Ordinal);

        // It is back only at the start: the reminder is dropped, not sent; the warning goes with it.
        transport.Failing = false;
        clock.SetUtcNow(start);
        await outbox.ProcessAsync(CancellationToken.None);
        Assert.Empty(transport.SentTo(email));
        Assert.Empty(await OutboxAsync(booked.Appointment.Id));
        Assert.False((await RowAsync(clock, booked)).MailFailed);
        Assert.Contains(desk.Logs.Messages, m => m.Contains("dropped: not sent before the appointment's start", StringComparison.Ordinal));

        // Nothing ran at its time at all (every instance down): after the start it is not sent either.
        var late = $"niemand-{Guid.NewGuid():N}@example.nl";
        var unsent = await BookAsync(clock, late, AppointmentMail.Dutch, TimeSpan.FromDays(3));
        clock.SetUtcNow(unsent.Appointment.Start!.Value.AddMinutes(1));
        await outbox.ProcessAsync(CancellationToken.None);
        Assert.Empty(transport.SentTo(late));
        Assert.Empty(await OutboxAsync(unsent.Appointment.Id));
        Assert.DoesNotContain(email, string.Join('\n', desk.Logs.Messages), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Retention_deletes_a_leftover_reminder_with_its_appointment()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 11, 1, 7, 0, 0, TimeSpan.Zero));
        var booked = await BookAsync(clock, "bewaar-herinnering@example.nl", AppointmentMail.Dutch, TimeSpan.FromDays(3));
        Assert.Single(await OutboxAsync(booked.Appointment.Id));

        // No outbox loop ran (it would have sent or dropped it): retention takes the row with the address along.
        clock.SetUtcNow(booked.Appointment.End!.Value.AddMinutes(61));
        await desk.Retention(clock).SweepAsync(CancellationToken.None);
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.Appointments.AnyAsync(a => a.Id == booked.Appointment.Id));
        Assert.Empty(await OutboxAsync(booked.Appointment.Id));
    }

    /// <summary>A resident books the first free slot at least <paramref name="ahead"/> from the clock's now.</summary>
    private async Task<BookedAppointment> BookAsync(FakeTimeProvider clock, string email, string language, TimeSpan ahead)
    {
        var store = desk.Appointments(clock);
        var (_, token) = await store.StartAsync(desk.TenantA, "report_move", CancellationToken.None);
        var slot = (await store.FreeSlotsAsync(desk.TenantA, CancellationToken.None)).First(s => s.Start >= clock.GetUtcNow() + ahead);
        var (outcome, booked) = await store.BookAsync(desk.TenantA, token, slot.Start, email, language, "127.0.0.1", CancellationToken.None);
        Assert.Equal(BookOutcome.Booked, outcome);
        return booked!;
    }

    private MailOutbox Outbox(TimeProvider clock, IMailTransport transport) =>
        ActivatorUtilities.CreateInstance<MailOutbox>(desk.Server.App.Services, clock, transport);

    private async Task<List<OutgoingMail>> OutboxAsync(string appointmentId)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Outbox.AsNoTracking().Where(m => m.AppointmentId == appointmentId).ToListAsync();
    }

    private async Task<AppointmentRow> RowAsync(TimeProvider clock, BookedAppointment booked) =>
        (await desk.AppointmentList(clock).TodayAndComingAsync(desk.TenantA, CancellationToken.None)).Single(a => a.Id == booked.Appointment.Id);

    /// <summary>The appointment's row as an agent's *Afspraken* list renders it.</summary>
    private async Task<string> AgentRowAsync(BookedAppointment booked)
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "afspraken", null);
        var list = await (await agent.GetAsync("/desk/appointments/list")).Content.ReadAsStringAsync();
        return Regex.Match(list, $"data-appointment=\"{booked.Appointment.Id}\".*?</tr>", RegexOptions.Singleline).Value is { Length: > 0 } row
            ? row
            : throw new Xunit.Sdk.XunitException("the appointment is not on the agent's list");
    }

    private async Task<string> PlannerAsync()
    {
        if (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "planner") is null)
        {
            await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "planner");
        }

        return (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "planner"))!.Id;
    }

    /// <summary>The server's real transport (smtp4dev), recording what went and able to fail like a server that is down.</summary>
    private sealed class Transport(IMailTransport inner) : IMailTransport
    {
        private readonly List<MimeMessage> _sent = [];

        public bool Failing { get; set; }

        public IReadOnlyList<MimeMessage> SentTo(string address)
        {
            lock (_sent)
            {
                return _sent.Where(m => m.To.Mailboxes.Any(b => b.Address == address)).ToList();
            }
        }

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            if (Failing)
            {
                throw new MailKit.Net.Smtp.SmtpProtocolException("unreachable");
            }

            await inner.SendAsync(message, ct);
            lock (_sent)
            {
                _sent.Add(message);
            }
        }
    }
}

public sealed class SqliteVideoReminderTests(SqliteDeskServer desk) : VideoReminderTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresVideoReminderTests(PostgresDeskServer desk) : VideoReminderTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
