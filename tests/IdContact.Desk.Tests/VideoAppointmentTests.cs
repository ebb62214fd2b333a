using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using IdContact.Desk.Video;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace IdContact.Desk.Tests;

/// <summary>Video appointments (V1–V3): booking with e-mail, links in their window, cancelling, the last slot, agents, retention.</summary>
public abstract partial class VideoAppointmentTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    [Fact]
    public async Task Booking_sends_an_email_with_the_link_and_an_ics_invitation_that_arrives_at_smtp4dev()
    {
        var email = $"inwoner-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        var response = await resident.BookAndFollowAsync(slot, email);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = LinkOnPage().Match(page).Groups[1].Value;
        Assert.Matches($"/{desk.TenantA}/video/join/[A-Za-z0-9_-]{{43}}\\?lang=nl$", link);

        var mail = await Smtp4dev.WaitForAsync(email);
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(link), mail.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("/video/cancel/", mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Uw videoafspraak met", mail.Subject!, StringComparison.Ordinal);
        var ics = mail.Attachments.OfType<MimePart>().Single(a => a.FileName == "afspraak.ics");
        Assert.Equal("text/calendar", ics.ContentType.MimeType);
        using var text = new MemoryStream();
        await ics.Content!.DecodeToAsync(text);
        var invite = System.Text.Encoding.UTF8.GetString(text.ToArray());
        Assert.Contains("METHOD:REQUEST\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:0\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:" + email, invite.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("DTSTART:" + CalendarInvite.Utc(DateTimeOffset.FromUnixTimeSeconds(slot)) + "\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("UID:", invite, StringComparison.Ordinal);
        Assert.Contains(link[..40], invite.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(email, string.Join('\n', desk.Logs.Messages), StringComparison.OrdinalIgnoreCase);

        // The booking page is used up: a second booking with it is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await resident.Client.GetAsync(resident.PageUrl)).StatusCode);
    }

    [Fact]
    public async Task The_link_works_only_in_its_window_and_only_for_its_own_municipality()
    {
        var start = new DateTimeOffset(2030, 3, 4, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start.AddDays(-2));
        var store = desk.Appointments(clock);
        var booked = await store.PlanAsync(desk.TenantA, "report_move", "a@example.nl", start, await PlannerAsync(desk.TenantA), CancellationToken.None);
        var token = booked.Link.Split('/')[^1];
        Assert.True(token.Length >= 43, "at least 256 bits of randomness, base64url");

        async Task<LinkOutcome> At(DateTimeOffset now)
        {
            clock.SetUtcNow(now);
            return (await store.OpenLinkAsync(desk.TenantA, token, CancellationToken.None)).Outcome;
        }

        Assert.Equal(LinkOutcome.TooEarly, await At(start.AddMinutes(-11)));
        Assert.Equal(LinkOutcome.Open, await At(start.AddMinutes(-10)));
        Assert.Equal(LinkOutcome.Open, await At(start.AddMinutes(30 + 15)));
        Assert.Equal(LinkOutcome.Over, await At(start.AddMinutes(30 + 16)));
        Assert.Equal(LinkOutcome.Unknown, (await desk.Appointments(new FakeTimeProvider(start)).OpenLinkAsync(desk.TenantB, token, CancellationToken.None)).Outcome);

        // Over HTTP: a session planned now opens the waiting page; outside the window, elsewhere or made up, a page without data.
        var now = await desk.Appointments(TimeProvider.System).PlanAsync(desk.TenantA, "report_move", "b@example.nl", DateTimeOffset.UtcNow, await PlannerAsync(desk.TenantA), CancellationToken.None);
        var open = await desk.Server.Client.GetAsync(now.Link);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Contains("Uw videogesprek begint om", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(open.Headers.CacheControl!.NoStore);

        var elsewhere = await desk.Server.Client.GetAsync(now.Link.Replace($"/{desk.TenantA}/", $"/{desk.TenantB}/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.DoesNotContain("begint om", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var early = await desk.Server.Client.GetAsync(booked.Link); // 2030: too early
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        // It says from when: 10 minutes before 10:00 in Amsterdam (09:00 UTC in winter).
        Assert.Contains("De link werkt vanaf maandag 4 maart 2030 om 09:50", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The link works from Monday 4 March 2030 at 09:50", await (await desk.Server.Client.GetAsync(booked.Link + "?lang=en")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync($"/{desk.TenantA}/video/join/{new string('A', 43)}")).StatusCode);
    }

    [Fact]
    public async Task A_resident_cancels_from_the_email_link_the_calendar_event_is_cancelled_and_nothing_is_kept()
    {
        var email = $"annuleer-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        var page = await (await resident.BookAndFollowAsync(slot, email)).Content.ReadAsStringAsync();
        var link = LinkOnPage().Match(page).Groups[1].Value;
        var cancel = CancelOnPage().Match(page).Groups[1].Value;
        var confirmation = await InviteAsync(await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Uw videoafspraak", StringComparison.Ordinal)), "afspraak.ics");
        var uid = Property(confirmation, "UID");

        // Opening the cancel link only asks; the button cancels (a mail scanner following links cancels nothing).
        var ask = await resident.Client.GetStringAsync(cancel);
        Assert.Contains("confirm-cancel", ask, StringComparison.Ordinal);
        // Post/Redirect/Get: the answer is the cancelled page's address, so a reload asks for that page, not the post,
        // and still says the appointment is cancelled (not that the link no longer works).
        var posted = await resident.PostFormAsync(cancel, ask);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        for (var reload = 0; reload < 2; reload++)
        {
            var shown = await resident.Client.GetAsync(posted.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.Contains("<h1>Uw afspraak is geannuleerd</h1>", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The page says so only after a cancellation: without its proof it is the dead link's notice.
        var made = posted.Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.NotFound, (await resident.Client.GetAsync(made[..made.LastIndexOf('/')] + "/AAAA")).StatusCode);
        // Round 6: the proof at another municipality's address, cut short, altered, expired or made for another purpose.
        var proof = made[(made.LastIndexOf('/') + 1)..].Split('?')[0];
        var protection = desk.Server.App.Services.GetRequiredService<IDataProtectionProvider>();
        foreach (var other in new[]
        {
            made.Replace($"/{desk.TenantA}/", $"/{desk.TenantB}/", StringComparison.Ordinal),
            $"/{desk.TenantA}/video/cancelled/{proof[..^4]}",
            $"/{desk.TenantA}/video/cancelled/{proof[..20]}{(proof[20] == 'A' ? 'B' : 'A')}{proof[21..]}",
            $"/{desk.TenantA}/video/cancelled/" + protection.CreateProtector("IdContact.Desk.Video.Cancelled", desk.TenantA).ToTimeLimitedDataProtector().Protect("x", DateTimeOffset.UtcNow.AddMinutes(-1)),
            $"/{desk.TenantA}/video/cancelled/" + protection.CreateProtector("IdContact.Desk.WebCode.Done", desk.TenantA).ToTimeLimitedDataProtector().Protect("x", TimeSpan.FromMinutes(5)),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await resident.Client.GetAsync(other)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(link)).StatusCode);
        // The cancel link opened again later (not the landing's reload) says the appointment is already cancelled, in
        // either language; so does its form posted again.
        await AssertAlreadyCancelledAsync(cancel);
        var postedAgain = await resident.PostFormAsync(cancel, ask);
        Assert.Equal(HttpStatusCode.OK, postedAgain.StatusCode);
        Assert.Contains("<h1>Deze afspraak is al geannuleerd</h1>", await postedAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The cancellation removes the event from the resident's calendar: same UID, METHOD:CANCEL, a higher SEQUENCE.
        var mail = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Geannuleerd", StringComparison.Ordinal));
        Assert.Contains("U heeft uw videoafspraak met", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("U heeft uw videoafspraak met", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/video/join/", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("CANCEL", mail.Attachments.OfType<MimePart>().Single().ContentType.Parameters["method"]);
        var cancellation = await InviteAsync(mail, "afspraak.ics");
        Assert.Equal("CANCEL", Property(cancellation, "METHOD"));
        Assert.Equal(uid, Property(cancellation, "UID"));
        Assert.Equal("CANCELLED", Property(cancellation, "STATUS"));
        Assert.True(int.Parse(Property(cancellation, "SEQUENCE"), CultureInfo.InvariantCulture) > int.Parse(Property(confirmation, "SEQUENCE"), CultureInfo.InvariantCulture));
        Assert.Equal(Property(confirmation, "DTSTART"), Property(cancellation, "DTSTART"));

        // Sent: the address is gone from the appointment and the outbox; the slot is free; retention deletes the row.
        var id = uid.Split('@')[0];
        DateTimeOffset end;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var row = await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id);
            end = row.End!.Value;
            Assert.NotNull(row.CancelledAt);
            Assert.Null(row.Email);
            Assert.Null(row.DeskNumber);
            Assert.False(await db.Outbox.AnyAsync(m => m.AppointmentId == id));
            Assert.False(await db.Sessions.AnyAsync(s => s.Id == row.SessionId));
        }

        await desk.Retention(TimeProvider.System).SweepAsync(CancellationToken.None);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.False(await db.Appointments.AnyAsync(a => a.Id == id));
        }

        // What says so is the link's hash alone, kept until the appointment would have ended; then it is a dead link.
        await AssertAlreadyCancelledAsync(cancel);
        await desk.Retention(new FakeTimeProvider(end.AddMinutes(1))).SweepAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(cancel)).StatusCode);
    }

    private async Task AssertAlreadyCancelledAsync(string cancel)
    {
        foreach (var (lang, title) in new[] { ("", "Deze afspraak is al geannuleerd"), ("?lang=en", "This appointment is already cancelled") })
        {
            var again = await desk.Server.Client.GetAsync(cancel.Split('?')[0] + lang);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains($"<h1>{title}</h1>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Opening_the_call_of_an_appointment_that_is_over_says_it_is_over_not_cancelled_or_taken()
    {
        var email = $"voorbij-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        await resident.BookAndFollowAsync(slot, email);
        var confirmation = await InviteAsync(await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Uw videoafspraak", StringComparison.Ordinal)), "afspraak.ics");
        var id = Property(confirmation, "UID").Split('@')[0];
        string session;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            // Ended an hour ago: past the grace after its end, still listed until retention deletes it.
            var past = DateTimeOffset.UtcNow.AddHours(-2);
            await db.Appointments.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Start, past).SetProperty(a => a.End, past.AddHours(1)));
            session = (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id)).SessionId;
        }

        var user = "voorbij-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var opened = await agent.GetAsync($"/desk/video/{session}");
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        var location = opened.Headers.Location!.OriginalString;
        Assert.EndsWith("/desk/appointments?message=call-over", location, StringComparison.Ordinal);
        Assert.Contains("Die afspraak is voorbij; het videogesprek kan niet meer worden geopend.", await agent.ReadAsync(location[$"/{desk.TenantA}".Length..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_cancels_an_appointment_after_confirming_the_resident_gets_an_email_and_it_is_audited()
    {
        var email = $"gemeente-annuleert-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        var booked = await (await resident.BookAndFollowAsync(slot, email)).Content.ReadAsStringAsync();
        var confirmation = await InviteAsync(await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Uw videoafspraak", StringComparison.Ordinal)), "afspraak.ics");
        var id = Property(confirmation, "UID").Split('@')[0];

        var user = "annuleer-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var list = await (await agent.GetAsync("/desk/appointments")).Content.ReadAsStringAsync();
        Assert.Contains($"/desk/appointments/{id}/cancel", list, StringComparison.Ordinal);

        // The link asks first and cancels nothing; a post without the antiforgery token is refused.
        var ask = await agent.GetAsync($"/desk/appointments/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("confirm-cancel", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.Client.PostAsync($"/{desk.TenantA}/desk/appointments/{id}/cancel", new FormUrlEncodedContent([]))).StatusCode);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Null((await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id)).CancelledAt);
        }

        // Another municipality's agent cannot reach it.
        var other = "ander-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, other);
        using (var elsewhere = DeskAgent.For(desk, desk.TenantB))
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await elsewhere.SignInAsync(other)).StatusCode);
            var refused = await elsewhere.PostAsync("/desk/appointments", $"/desk/appointments/{id}/cancel");
            Assert.Contains("message=gone", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var done = await agent.PostAsync($"/desk/appointments/{id}/cancel", $"/desk/appointments/{id}/cancel");
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Contains("message=cancelled", done.Headers.Location!.ToString(), StringComparison.Ordinal);
        var again = await agent.PostAsync("/desk/appointments", $"/desk/appointments/{id}/cancel");
        Assert.Contains("message=gone", again.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Die afspraak is geannuleerd of al door iemand anders aangenomen.", await agent.ReadAsync("/desk/appointments?message=gone"));
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(LinkOnPage().Match(booked).Groups[1].Value)).StatusCode);
        Assert.DoesNotContain($"data-appointment=\"{id}\"", await (await agent.GetAsync("/desk/appointments/list")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mail = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Geannuleerd", StringComparison.Ordinal));
        Assert.Contains("heeft uw videoafspraak over", mail.TextBody, StringComparison.Ordinal);
        var cancellation = await InviteAsync(mail, "afspraak.ics");
        Assert.Equal("CANCEL", Property(cancellation, "METHOD"));
        Assert.Equal(Property(confirmation, "UID"), Property(cancellation, "UID"));
        Assert.Equal("1", Property(cancellation, "SEQUENCE"));

        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var row = await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id);
            Assert.True(row is null || row.Email is null, "the address is not kept once the cancellation went");
            var sessionId = row?.SessionId;
            var audit = await db.Audit.AsNoTracking().Where(a => a.Action == AppointmentCancellation.AuditAction).ToListAsync();
            Assert.Contains(audit, a => a.AgentName == user && (sessionId == null || a.SessionId == sessionId));
        }

        Assert.DoesNotContain(email, string.Join('\n', desk.Logs.Messages), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_resident_who_books_in_english_gets_the_confirmation_and_the_cancellation_in_english()
    {
        var email = $"english-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA, "?lang=en");
        var (slot, _) = await resident.FirstSlotAsync();
        var page = await (await resident.BookAndFollowAsync(slot, email, "?lang=en")).Content.ReadAsStringAsync();
        Assert.Contains("Your appointment is booked", page, StringComparison.Ordinal);
        // The booking page opened again says the booking stands, under the confirmation's own title.
        var again = await resident.Client.GetAsync(resident.PageUrl + "?lang=en");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("<h1>Your appointment is booked</h1>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var cancel = CancelOnPage().Match(page).Groups[1].Value;
        Assert.EndsWith("?lang=en", cancel, StringComparison.Ordinal);

        var mail = await Smtp4dev.WaitForAsync(email);
        Assert.StartsWith("Your video appointment with", mail.Subject!, StringComparison.Ordinal);
        Assert.Contains("Dear resident", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Dutch time)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Report a move", mail.TextBody, StringComparison.Ordinal);
        Assert.Matches("/video/join/[A-Za-z0-9_-]{43}\\?lang=en", mail.TextBody);
        Assert.Contains("lang=\"en\"", mail.HtmlBody, StringComparison.Ordinal);
        var confirmation = await InviteAsync(mail, "appointment.ics");
        var id = Property(confirmation, "UID").Split('@')[0];
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Equal("en", (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id)).Language);
        }

        var ask = await resident.Client.GetStringAsync(cancel);
        Assert.Contains("Cancel appointment", ask, StringComparison.Ordinal);
        // The cancelled page, after the post's redirect, stays in English.
        var posted = await resident.PostFormAsync(cancel, ask);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Contains("<h1>Your appointment is cancelled</h1>", await resident.Client.GetStringAsync(posted.Headers.Location), StringComparison.Ordinal);
        var cancelled = await Smtp4dev.WaitForAsync(email, m => m.Subject!.StartsWith("Cancelled:", StringComparison.Ordinal));
        Assert.Contains("You have cancelled your video appointment", cancelled.TextBody, StringComparison.Ordinal);
        var invite = await InviteAsync(cancelled, "appointment.ics");
        Assert.Equal("CANCEL", Property(invite, "METHOD"));
        Assert.Equal(Property(confirmation, "UID"), Property(invite, "UID"));

        // An agent may plan in English too; Dutch stays the default.
        var user = "plan-en-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var caller = $"caller-{Guid.NewGuid():N}@example.nl";
        // The English page names it as its button and the overview do: a video call (not a "video session").
        var form = await agent.ReadAsync("/desk/appointments?lang=en");
        Assert.Contains("Plan a video call for a caller", form, StringComparison.Ordinal);
        var plannedEn = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", caller), ("purpose", "report_move"), ("when", "now"), ("language", "en"));
        Assert.Contains("The video call is planned", await plannedEn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await agent.ReadAsync("/desk/appointments?lang=nl");
        Assert.StartsWith("Your video appointment with", (await Smtp4dev.WaitForAsync(caller)).Subject!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_that_cannot_be_sent_yet_is_kept_only_as_the_encrypted_message_until_it_goes_then_retention_deletes_it()
    {
        // A day ahead of the server's own outbox loop, so only this test's outbox sends the message.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1));
        var transport = new FlakyTransport { Failing = true };
        var outbox = ActivatorUtilities.CreateInstance<MailOutbox>(desk.Server.App.Services, clock, (IMailTransport)transport);
        var booked = await desk.Appointments(clock).PlanAsync(desk.TenantA, "report_move", "later@example.nl", clock.GetUtcNow().AddHours(2), await PlannerAsync(desk.TenantA), CancellationToken.None);
        Assert.True(await desk.Cancellation(clock, outbox).CancelByLinkAsync(desk.TenantA, booked.CancelLink.Split('/')[^1], CancellationToken.None));

        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Null((await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == booked.Appointment.Id)).Email);
            var pending = await db.Outbox.AsNoTracking().SingleAsync(m => m.AppointmentId == booked.Appointment.Id);
            Assert.Equal(1, pending.Attempts);
            Assert.DoesNotContain("later@example.nl", pending.ProtectedMessage, StringComparison.Ordinal);
        }

        await desk.Retention(clock).SweepAsync(CancellationToken.None);
        Assert.True(await OutboxHoldsAsync(booked.Appointment.Id), "a cancellation waiting to be sent is not dropped");

        transport.Failing = false;
        clock.Advance(MailOutbox.Backoff(1) + TimeSpan.FromSeconds(1));
        await outbox.ProcessAsync(CancellationToken.None);
        var sent = Assert.Single(transport.Sent);
        Assert.Equal("later@example.nl", sent.To.Mailboxes.Single().Address);
        Assert.Equal("CANCEL", Property(await InviteAsync(sent, "afspraak.ics"), "METHOD"));

        await desk.Retention(clock).SweepAsync(CancellationToken.None);
        Assert.False(await OutboxHoldsAsync(booked.Appointment.Id));
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.False(await db.Appointments.AnyAsync(a => a.Id == booked.Appointment.Id));
        }
    }

    private async Task<bool> OutboxHoldsAsync(string appointmentId)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Outbox.AnyAsync(m => m.AppointmentId == appointmentId);
    }

    /// <summary>The .ics attachment's text, folded lines joined.</summary>
    private static async Task<string> InviteAsync(MimeMessage mail, string fileName)
    {
        var ics = mail.Attachments.OfType<MimePart>().Single(a => a.FileName == fileName);
        Assert.Equal("text/calendar", ics.ContentType.MimeType);
        using var text = new MemoryStream();
        await ics.Content!.DecodeToAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray()).Replace("\r\n ", "", StringComparison.Ordinal);
    }

    /// <summary>The value of a property line such as "UID:…" (no parameters).</summary>
    private static string Property(string ics, string name) =>
        ics.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];

    [Fact]
    public async Task Residents_racing_for_the_last_places_of_a_slot_get_one_place_each_and_no_more()
    {
        var residents = new List<Resident>();
        for (var i = 0; i < 8; i++)
        {
            residents.Add(await ResidentAsync(desk.TenantB));
        }

        // The last slot of the last day: no other test books it. The tenant has two video desks.
        var slot = await residents[0].LastSlotAsync();
        foreach (var r in residents.Skip(1))
        {
            await r.LoadAsync();
        }

        var answers = await Task.WhenAll(residents.Select((r, i) => r.BookAsync(slot, $"race-{i}-{Guid.NewGuid():N}@example.nl")));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.SeeOther));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        await using var db = desk.Databases.Open(desk.TenantB);
        DateTimeOffset? start = DateTimeOffset.FromUnixTimeSeconds(slot);
        Assert.Equal(2, await db.Appointments.CountAsync(a => a.Start == start));
    }

    [Theory]
    [InlineData("dot-before-at.@example.nl")] // .NET's MailAddress takes it, MimeKit cannot address a message to it
    [InlineData("\"control\u0001\"@example.nl")]
    [InlineData("\"delete\u007f\"@example.nl")]
    [InlineData("inwoner@example.nl\u202e")] // a right-to-left override would turn what agents read around
    public async Task An_email_address_no_message_can_be_sent_to_is_refused_before_the_slot_is_taken(string email)
    {
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        var refused = await resident.BookAsync(slot, email);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Vul een geldig e-mailadres in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The booking page is not used up: the resident corrects the address and books.
        var booked = await resident.BookAndFollowAsync(slot, $"inwoner-{Guid.NewGuid():N}@example.nl");
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);

        var user = "video-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var planned = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", email), ("purpose", "report_move"), ("when", "now"));
        Assert.Equal(HttpStatusCode.BadRequest, planned.StatusCode);
    }

    [Fact]
    public async Task An_agent_plans_a_video_session_for_a_caller_and_the_same_email_goes_out()
    {
        var user = "video-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        var email = $"beller-{Guid.NewGuid():N}@example.nl";
        var planned = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", email), ("purpose", "report_move"), ("when", "now"));
        var page = await planned.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        Assert.Contains("de e-mail is verstuurd", page, StringComparison.Ordinal);
        Assert.Contains("gepland door medewerker", page, StringComparison.Ordinal);
        Assert.DoesNotContain(email, page, StringComparison.Ordinal);

        var mail = await Smtp4dev.WaitForAsync(email);
        var link = Regex.Match(mail.TextBody!, "https?://\\S+/video/join/\\S+").Value;
        var open = await desk.Server.Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.FileName == "afspraak.ics");

        // Another municipality's agent page is not reachable with this cookie.
        Assert.NotEqual(HttpStatusCode.OK, (await agent.Client.GetAsync($"/{desk.TenantB}/desk/appointments")).StatusCode);
    }

    [Fact]
    public async Task An_agent_holding_a_phone_call_plans_a_video_call_for_the_caller_and_the_proven_data_goes_along()
    {
        var user = "bel-video-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, user))!.Id;
        using var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);

        // A caller proved who they are and the agent holds the call.
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Noor Beller"))).StatusCode);
        var callSession = attrUrl.Split('/')[^1];
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            await db.Sessions.Where(s => s.Id == callSession).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, Sessions.ContactState.Active).SetProperty(s => s.AgentId, agentId));
        }

        Assert.Contains($"/desk/appointments?call={callSession}", await (await agent.GetAsync("/desk")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var planPage = $"/desk/appointments?call={callSession}";
        Assert.Contains("id=\"linked-call\"", await (await agent.GetAsync(planPage)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Only for now (the data is not kept for a later appointment), and only by the agent holding the call.
        var email = $"beller-video-{Guid.NewGuid():N}@example.nl";
        var later = await agent.PostAsync(planPage, "/desk/appointments/plan", ("email", email), ("purpose", "report_move"), ("when", "later"), ("at", "2099-01-01T10:00"), ("call", callSession));
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
        var other = "collega-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, other);
        using (var colleague = DeskAgent.For(desk, desk.TenantA))
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await colleague.SignInAsync(other)).StatusCode);
            Assert.DoesNotContain("linked-call", await (await colleague.GetAsync(planPage)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var refused = await colleague.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", email), ("purpose", "report_move"), ("when", "now"), ("call", callSession));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("niet van u", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var planned = await agent.PostAsync(planPage, "/desk/appointments/plan", ("email", email), ("purpose", "report_move"), ("when", "now"), ("call", callSession));
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        await Smtp4dev.WaitForAsync(email);
        string videoSession;
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            videoSession = Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email)).SessionId;
            var video = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == videoSession);
            var call = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == callSession);
            Assert.NotNull(video.ResultToken);
            Assert.NotEqual(call.ResultKey, video.ResultKey);
            Assert.Contains(await db.Audit.AsNoTracking().ToListAsync(), a => a.Action == AppointmentStore.LinkCallAuditAction && a.SessionId == callSession && a.AgentName == user);
        }

        // The video call shows the call's proven data to the agent.
        var callPage = await agent.GetAsync($"/desk/video/{videoSession}");
        Assert.Equal(HttpStatusCode.OK, callPage.StatusCode);
        Assert.Contains("Noor Beller", await (await agent.GetAsync($"/desk/video/{videoSession}/details")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_send_is_retried_shown_to_agents_until_it_goes_and_never_lost()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var transport = new FlakyTransport();
        var outbox = ActivatorUtilities.CreateInstance<MailOutbox>(desk.Server.App.Services, clock, (IMailTransport)transport);
        var booked = await desk.Appointments(clock).PlanAsync(desk.TenantA, "report_move", "retry@example.nl", clock.GetUtcNow().AddHours(2), await PlannerAsync(desk.TenantA), CancellationToken.None);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply@gemeente.example"));
        message.To.Add(MailboxAddress.Parse("retry@example.nl"));
        message.Body = new TextPart("plain") { Text = booked.Link };

        transport.Failing = true;
        Assert.False(await outbox.SendAsync(desk.TenantA, booked.Appointment.Id, message, CancellationToken.None));
        var list = desk.AppointmentList(clock);
        Assert.True((await list.TodayAndComingAsync(desk.TenantA, CancellationToken.None)).Single(a => a.Id == booked.Appointment.Id).MailFailed);

        // Not before its backoff; then once the server answers again it goes, and the warning disappears.
        transport.Failing = false;
        await outbox.ProcessAsync(CancellationToken.None);
        Assert.Empty(transport.Sent);
        clock.Advance(MailOutbox.Backoff(1) + TimeSpan.FromSeconds(1));
        await outbox.ProcessAsync(CancellationToken.None);
        Assert.Contains(booked.Link, Assert.Single(transport.Sent).TextBody, StringComparison.Ordinal);
        Assert.False((await list.TodayAndComingAsync(desk.TenantA, CancellationToken.None)).Single(a => a.Id == booked.Appointment.Id).MailFailed);
    }

    [Fact]
    public async Task Retention_deletes_the_appointment_and_its_email_address_after_its_end()
    {
        var start = new DateTimeOffset(2031, 5, 6, 10, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start.AddDays(-1));
        var booked = await desk.Appointments(clock).PlanAsync(desk.TenantC, "report_move", "bewaar@example.nl", start, await PlannerAsync(desk.TenantC), CancellationToken.None);
        var end = booked.Appointment.End!.Value;

        clock.SetUtcNow(end.AddMinutes(59));
        await desk.Retention(clock).SweepAsync(CancellationToken.None);
        Assert.True(await ExistsAsync(booked.Appointment.Id), "kept until the end plus RetentionMinutes");
        Assert.True(await SessionExistsAsync(booked.Appointment.SessionId), "the session (and a result) lives until the appointment's end, then retention's time");

        clock.SetUtcNow(end.AddMinutes(61));
        await desk.Retention(clock).SweepAsync(CancellationToken.None);
        Assert.False(await ExistsAsync(booked.Appointment.Id));
        Assert.False(await SessionExistsAsync(booked.Appointment.SessionId));
    }

    [Fact]
    public async Task The_Afspraken_page_watches_the_agents_hub_its_pushes_arrive_and_it_renews_no_chat_lease()
    {
        var tenant = desk.TenantA;
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "afspraken-kijker", null);
        var id = (await DeskAgent.FindAsync(desk.Databases, tenant, "afspraken-kijker"))!.Id;

        // The agent chose to take chats earlier, but no overview or chat page of theirs renewed the lease for an hour.
        await LapsedLease.SetAsync(desk, tenant, id);

        try
        {
            // The hub address the page's own script joins (the page never calls the hub).
            Assert.Contains("/desk-assets/appointments.js", await agent.ReadAsync("/desk/appointments"));
            var script = await desk.Server.Client.GetStringAsync("/desk-assets/appointments.js");
            var hubPath = HubUrl().Match(script).Groups[1].Value;
            Assert.StartsWith("/desk/hub", hubPath);
            var page = new HubConnectionBuilder()
                .WithUrl($"{desk.Server.BaseUrl}/{tenant}{hubPath}", o => o.Cookies = agent.CookieJar).Build();
            await using var pageDisposal = page.DisposedBounded();
            var changed = Channel.CreateUnbounded<bool>();
            page.On(AppointmentNotifier.ChangedMessage, () => changed.Writer.TryWrite(true));
            await page.StartAsync();
            // An unknown method is answered only after the hub's OnConnectedAsync (where an agent page renews) has run.
            await Assert.ThrowsAsync<HubException>(() => page.InvokeAsync("NoSuchMethod"));

            desk.Server.App.Services.GetRequiredService<AppointmentNotifier>().Changed(tenant);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.True(await changed.Reader.ReadAsync(wait.Token));
            await LapsedLease.AssertNotRenewedAsync(desk, tenant, id);

            // Watching still takes an agent of this municipality: the data protection officer is refused at the door.
            using var officer = await DeskAgent.SignedInAsync(desk, tenant, "afspraken-fg", Agents.AgentAuthorization.PrivacyRole);
            var refused = new HubConnectionBuilder()
                .WithUrl($"{desk.Server.BaseUrl}/{tenant}{hubPath}", o => o.Cookies = officer.CookieJar).Build();
            await using var refusedDisposal = refused.DisposedBounded();
            await Assert.ThrowsAnyAsync<Exception>(() => refused.StartAsync());
        }
        finally
        {
            await LapsedLease.ClearAsync(desk, tenant, id);
        }
    }

    [GeneratedRegex(@"withUrl\(`/\$\{tenant\}([^`]+)`\)")]
    private static partial Regex HubUrl();

    /// <summary>An agent of <paramref name="tenant"/> who plans video calls: an appointment names an existing account.</summary>
    private async Task<string> PlannerAsync(string tenant)
    {
        if (await DeskAgent.FindAsync(desk.Databases, tenant, "planner") is { } planner)
        {
            return planner.Id;
        }

        await DeskAgent.CreateAsync(desk.Databases, tenant, "planner");
        return (await DeskAgent.FindAsync(desk.Databases, tenant, "planner"))!.Id;
    }

    private async Task<bool> ExistsAsync(string id)
    {
        await using var db = desk.Databases.Open(desk.TenantC);
        return await db.Appointments.AnyAsync(a => a.Id == id);
    }

    private async Task<bool> SessionExistsAsync(string id)
    {
        await using var db = desk.Databases.Open(desk.TenantC);
        return await db.Sessions.AnyAsync(s => s.Id == id);
    }

    private async Task<Resident> ResidentAsync(string tenant, string query = "")
    {
        var response = await desk.Server.Client.PostAsJsonAsync($"/{tenant}/video/start_communication", new { purpose = "report_move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches($"/{tenant}/video/attr/[A-Za-z0-9_-]{{22,}}$", body.GetProperty("attr_url").GetString());
        var resident = new Resident(new Uri(desk.Server.BaseUrl), body.GetProperty("client_url").GetString()!);
        await resident.LoadAsync(query);
        return resident;
    }

    [GeneratedRegex("id=\"link\" href=\"([^\"]+)\"")]
    private static partial Regex LinkOnPage();

    [GeneratedRegex("id=\"cancel\" href=\"([^\"]+)\"")]
    private static partial Regex CancelOnPage();

    private sealed class FlakyTransport : IMailTransport
    {
        public bool Failing { get; set; }

        public List<MimeMessage> Sent { get; } = [];

        public Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            if (Failing)
            {
                throw new MailKit.Net.Smtp.SmtpProtocolException("unreachable");
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}

/// <summary>One resident's browser on the appointment page: a cookie jar and the page's antiforgery token.</summary>
public sealed partial class Resident(Uri baseAddress, string pageUrl)
{
    private string _html = "";

    public HttpClient Client { get; } = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public string PageUrl => pageUrl;

    public async Task LoadAsync(string query = "")
    {
        var response = await Client.GetAsync(pageUrl + query);
        _html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, _html);
    }

    public Task<(long Slot, string Html)> FirstSlotAsync() => Task.FromResult((long.Parse(SlotValue().Match(_html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), _html));

    public async Task<long> LastSlotAsync()
    {
        var lastDay = DayOption().Matches(_html)[^1].Groups[1].Value;
        await LoadAsync("?date=" + lastDay);
        return long.Parse(SlotValue().Matches(_html)[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<HttpResponseMessage> BookAsync(long slot, string email, string query = "") =>
        PostFormAsync(pageUrl + query, _html, ("slot", slot.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("email", email));

    /// <summary>Books as a browser does: the post answers 303, the browser then gets the confirmation page.</summary>
    public async Task<HttpResponseMessage> BookAndFollowAsync(long slot, string email, string query = "")
    {
        var posted = await BookAsync(slot, email, query);
        Assert.True(posted.StatusCode == HttpStatusCode.SeeOther, await posted.Content.ReadAsStringAsync());
        return await Client.GetAsync(posted.Headers.Location);
    }

    public Task<HttpResponseMessage> PostFormAsync(string url, string html, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(AntiforgeryForm.FieldOf(html, url));
        return Client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"slot\" value=\"([0-9]+)\"")]
    private static partial Regex SlotValue();

    [GeneratedRegex("<option value=\"([0-9]{4}-[0-9]{2}-[0-9]{2})\"")]
    private static partial Regex DayOption();
}

public sealed class SqliteVideoAppointmentTests(SqliteDeskServer desk) : VideoAppointmentTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresVideoAppointmentTests(PostgresDeskServer desk) : VideoAppointmentTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
