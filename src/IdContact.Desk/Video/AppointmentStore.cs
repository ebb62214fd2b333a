using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

public enum BookOutcome
{
    Booked,
    SlotTaken,
    NoSuchSlot,
    AlreadyBooked,
    Expired,

    /// <summary>
    /// The e-mail address has MaxComingPerEmail coming appointments already: nothing is booked, and the page's booking
    /// carries a stand-in (<see cref="AppointmentStore.IsStandIn"/>) so that its booker is answered as for a booking.
    /// </summary>
    EmailCapReached,

    /// <summary>The client address booked BookingsPerAddressPerDay times today already.</summary>
    AddressCapReached,
}

public enum AgentJoin
{
    Joined,
    NotYours,
    TooEarly,
    Over,
    Unknown,
}

public enum LinkOutcome
{
    Open,
    TooEarly,
    Over,
    Unknown,
}

/// <summary>
/// A booked or planned appointment with the two capability links, which exist only in memory and in the e-mail; for a
/// stand-in (<see cref="BookOutcome.EmailCapReached"/>) also the starts of the address's coming appointments that hold
/// its places (for the e-mail that says so).
/// </summary>
public sealed record BookedAppointment(Appointment Appointment, string Link, string CancelLink, IReadOnlyList<DateTimeOffset>? Coming = null)
{
    /// <summary>The link and the cancel link in a language, Dutch too: the resident's pages follow <c>?lang=</c> over the browser.</summary>
    public (string Link, string Cancel) Localized(bool english) =>
        (LanguageExtensions.WithLanguage(Link, english), LanguageExtensions.WithLanguage(CancelLink, english));
}

/// <summary>Video appointments in the tenant's database (V1–V3): booking, planning, links, cancelling.</summary>
public sealed class AppointmentStore(
    TenantDatabases databases, SessionStore sessions, MailOutbox outbox, TimeProvider time, IOptions<IdContactOptions> options, PublicUrls urls,
    IdentifierHashes hashes, AppointmentEmailProtector emails, ILogger<AppointmentStore> logger)
{
    private VideoOptions Video(string tenant) => options.Value.Tenants[tenant].Desk().Video;

    /// <summary>A contact session of channel "video" and the booking page's capability token (start_communication).</summary>
    public async Task<(ContactSession Session, string BookingToken)> StartAsync(string tenant, string purpose, CancellationToken ct)
    {
        var session = await sessions.CreateAsync(tenant, Channels.Video, purpose, 0, TimeSpan.Zero, ct);
        var token = Secrets.NewId(32);
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        db.Appointments.Add(new Appointment
        {
            Id = Secrets.NewId(),
            SessionId = session.Id,
            Purpose = purpose,
            BookingHash = Secrets.Hash(token),
            BookingExpiresAt = now.AddMinutes(Video(tenant).BookingPageMinutes),
            CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return (session, token);
    }

    /// <summary>The appointment behind a booking page token: unbooked and in time, or already booked (to say so).</summary>
    public async Task<Appointment?> FindBookingAsync(string tenant, string token, CancellationToken ct)
    {
        if (!Plausible(token))
        {
            return null;
        }

        var hash = Secrets.Hash(token);
        await using var db = databases.Open(tenant);
        var found = Shown(tenant, await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.BookingHash == hash, ct));
        return found is not null && (found.Start is not null || found.BookingExpiresAt > time.GetUtcNow()) ? emails.Opened(tenant, found) : null;
    }

    /// <summary>
    /// Whether a row is the stand-in of a booking the e-mail cap refused: the booker's links, the slot's end, the address
    /// (encrypted, for the page's calendar file), but no start, desk or place under the cap. Its booker's pages show it
    /// as booked, so they do not tell whether an address has appointments (docs/security.md, *Booking spam*).
    /// </summary>
    public static bool IsStandIn(Appointment a) => a is { PlannedBy: "resident", DeskNumber: null, LinkHash: not null, CancelledAt: null };

    /// <summary>A stand-in as its booker's pages show it: starting a slot before its end.</summary>
    private Appointment? Shown(string tenant, Appointment? a)
    {
        if (a is not null && IsStandIn(a) && a.Start is null && a.End is { } end)
        {
            a.Start = end.AddMinutes(-Video(tenant).SlotMinutes);
        }

        return a;
    }

    /// <summary>The slots still free: candidates with fewer bookings than parallel video desks.</summary>
    public async Task<IReadOnlyList<Slot>> FreeSlotsAsync(string tenant, CancellationToken ct)
    {
        var video = Video(tenant);
        var candidates = SlotCalendar.Candidates(video, time.GetUtcNow()).ToList();
        if (candidates.Count == 0)
        {
            return candidates;
        }

        DateTimeOffset? first = candidates[0].Start, last = candidates[^1].Start;
        await using var db = databases.Open(tenant);
        var taken = await db.Appointments
            .Where(a => a.DeskNumber != null && a.Start >= first && a.Start <= last)
            .GroupBy(a => a.Start)
            .Select(g => new { Start = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var counts = taken.ToDictionary(t => t.Start!.Value, t => t.Count);
        return candidates.Where(c => counts.GetValueOrDefault(c.Start) < video.Agents).ToList();
    }

    /// <summary>
    /// Books a slot. Each parallel desk of the slot is one row (unique start and desk number), so of residents racing
    /// for the last place the database lets exactly one in, on SQLite and PostgreSQL alike. The caps work the same way:
    /// the booking takes one of its client address's BookingsPerAddressPerDay places of the day and one of its e-mail
    /// address's MaxComingPerEmail places, each unique, all in one transaction: refused by any, it holds nothing, except
    /// that one the e-mail cap refuses becomes a stand-in (<see cref="IsStandIn"/>) and keeps its client's place.
    /// </summary>
    public async Task<(BookOutcome Outcome, BookedAppointment? Booked)> BookAsync(
        string tenant, string bookingToken, DateTimeOffset slotStart, string email, string language, string clientKey, CancellationToken ct)
    {
        var booking = await FindBookingAsync(tenant, bookingToken, ct);
        if (booking is null)
        {
            return (BookOutcome.Expired, null);
        }

        if (booking.Start is not null)
        {
            return (BookOutcome.AlreadyBooked, null);
        }

        var video = Video(tenant);
        var now = time.GetUtcNow();
        var slot = SlotCalendar.Candidates(video, now).FirstOrDefault(s => s.Start == slotStart);
        if (slot is null)
        {
            return (BookOutcome.NoSuchSlot, null);
        }

        string link = Secrets.NewId(32), cancel = Secrets.NewId(32);
        string linkHash = Secrets.Hash(link), cancelHash = Secrets.Hash(cancel);
        string emailHash = await BookingCaps.EmailHashAsync(hashes, tenant, email, ct), addressHash = await BookingCaps.AddressHashAsync(hashes, tenant, clientKey, ct);
        var legacyAddressHash = BookingCaps.LegacyAddressHash(clientKey);
        var storedEmail = emails.Protect(tenant, email);
        var day = BookingCaps.Day(now);
        var reminder = await ReminderAsync(tenant, new BookedAppointment(
            new Appointment { Id = booking.Id, Purpose = booking.Purpose, Start = slot.Start, End = slot.End, Email = email, Language = language },
            LinkUrl(tenant, link), CancelUrl(tenant, cancel)), ct);
        await using var db = databases.Open(tenant);
        // The booking, its places under the caps and its reminder are stored together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        DateTimeOffset? start = slot.Start, end = slot.End, ended = now;
        var alreadyBooked = false;
        var desk = await FirstFreePlaceAsync(transaction, video.Agents, async number =>
        {
            int? place = number;
            var updated = await db.Appointments
                .Where(a => a.Id == booking.Id && a.Start == null)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(a => a.Start, start).SetProperty(a => a.End, end).SetProperty(a => a.DeskNumber, place)
                        .SetProperty(a => a.Email, storedEmail).SetProperty(a => a.LinkHash, linkHash).SetProperty(a => a.CancelHash, cancelHash)
                        .SetProperty(a => a.Language, language),
                    ct);
            alreadyBooked = updated == 0;
        }, ct);
        if (alreadyBooked)
        {
            return (BookOutcome.AlreadyBooked, null);
        }

        if (desk is null)
        {
            return (BookOutcome.SlotTaken, null);
        }

        // A day's places are never given back, so the search starts past the ones already held (a high cap stays cheap),
        // those an older version stored under the unkeyed hash included (the upgrade's day). Taken before the e-mail's
        // place: a booking the e-mail cap turns into a stand-in counts for its client as any booking does.
        var held = await db.AddressBookings.CountAsync(b => (b.AddressHash == addressHash || b.AddressHash == legacyAddressHash) && b.Day == day, ct);
        var addressPlace = await FirstFreePlaceAsync(transaction, video.BookingsPerAddressPerDay, async number =>
        {
            var row = db.AddressBookings.Add(new AddressBooking { AddressHash = addressHash, Day = day, Number = number });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            finally
            {
                row.State = EntityState.Detached;
            }
        }, ct, from: held + 1);
        if (addressPlace is null)
        {
            return (BookOutcome.AddressCapReached, null);
        }

        // An appointment of this address that has ended gives its place back (a cancelled one did on cancelling).
        await db.Appointments.Where(a => a.EmailHash == emailHash && a.EmailNumber != null && a.End <= ended)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailNumber, (int?)null), ct);
        var emailPlace = await FirstFreePlaceAsync(transaction, video.MaxComingPerEmail, async number =>
        {
            int? place = number;
            await db.Appointments.Where(a => a.Id == booking.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.EmailHash, emailHash).SetProperty(a => a.EmailNumber, place), ct);
        }, ct);
        if (emailPlace is null)
        {
            // The row keeps the links, end, address and language written above and gives the slot back: a stand-in.
            // Its booking page "expires" at the slot's end, so retention keeps it as long as a booking (it has no start).
            await db.Appointments.Where(a => a.Id == booking.Id)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(a => a.Start, (DateTimeOffset?)null).SetProperty(a => a.DeskNumber, (int?)null).SetProperty(a => a.BookingExpiresAt, slot.End),
                    ct);
            await KeepSessionUntilAsync(db, booking.SessionId, slot.End, ct);
            var coming = await db.Appointments.AsNoTracking()
                .Where(a => a.EmailHash == emailHash && a.EmailNumber != null && a.End > ended && a.Start != null)
                .Select(a => a.Start!.Value)
                .ToListAsync(ct);
            await transaction.CommitAsync(ct);
            var standIn = emails.Opened(tenant, Shown(tenant, await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == booking.Id, ct)))!;
            return (BookOutcome.EmailCapReached, new BookedAppointment(standIn, LinkUrl(tenant, link), CancelUrl(tenant, cancel), coming.Order().ToList()));
        }

        await KeepSessionUntilAsync(db, booking.SessionId, slot.End, ct);
        if (reminder is not null)
        {
            db.Outbox.Add(reminder);
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        var booked = emails.Opened(tenant, await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == booking.Id, ct))!;
        return (BookOutcome.Booked, new BookedAppointment(booked, LinkUrl(tenant, link), CancelUrl(tenant, cancel)));
    }

    /// <summary>
    /// Takes the first of places <paramref name="from"/>…<paramref name="count"/> the database lets in: a unique violation means another
    /// booking holds that place, and the savepoint undoes just the attempt (PostgreSQL aborts the transaction otherwise).
    /// Null when all are held.
    /// </summary>
    private static async Task<int?> FirstFreePlaceAsync(IDbContextTransaction transaction, int count, Func<int, Task> take, CancellationToken ct, int from = 1)
    {
        for (var place = from; place <= count; place++)
        {
            await transaction.CreateSavepointAsync(Savepoint, ct);
            try
            {
                await take(place);
                await transaction.ReleaseSavepointAsync(Savepoint, ct);
                return place;
            }
            catch (Exception e) when (StoreErrors.IsUniqueViolation(e))
            {
                await transaction.RollbackToSavepointAsync(Savepoint, ct);
            }
        }

        return null;
    }

    private const string Savepoint = "booking_place";

    /// <summary>An agent plans a video session for someone who phoned in (V2): now or at a chosen time, outside the booking pool.</summary>
    public Task<BookedAppointment> PlanAsync(string tenant, string purpose, string email, DateTimeOffset start, string agentId, CancellationToken ct) =>
        PlanAsync(tenant, purpose, email, start, agentId, AppointmentMail.Dutch, ct);

    /// <summary>As <see cref="PlanAsync(string, string, string, DateTimeOffset, string, CancellationToken)"/>, with the e-mail in <paramref name="language"/> ("nl" or "en").</summary>
    public async Task<BookedAppointment> PlanAsync(string tenant, string purpose, string email, DateTimeOffset start, string agentId, string language, CancellationToken ct) =>
        (await PlanOnceAsync(tenant, purpose, email, start, agentId, language, null, ct))!;

    /// <summary>
    /// Plans for the planning form <paramref name="planKey"/> (<see cref="IsPlanKey"/>) unless an appointment holds it
    /// already: then nothing is planned (its session is deleted again) and the answer is null
    /// (<see cref="FindPlannedAsync"/> finds that one). No lookup first: the caller asked already, and only the unique
    /// index decides between two posts of one form racing on two instances.
    /// </summary>
    public async Task<BookedAppointment?> PlanOnceAsync(
        string tenant, string purpose, string email, DateTimeOffset start, string agentId, string language, string? planKey, CancellationToken ct)
    {
        var session = await sessions.CreateAsync(tenant, Channels.Video, purpose, 0, TimeSpan.Zero, ct);
        string link = Secrets.NewId(32), cancel = Secrets.NewId(32);
        var now = time.GetUtcNow();
        var appointment = new Appointment
        {
            Id = Secrets.NewId(),
            SessionId = session.Id,
            Purpose = purpose,
            BookingExpiresAt = now,
            LinkHash = Secrets.Hash(link),
            CancelHash = Secrets.Hash(cancel),
            Start = start,
            End = start.AddMinutes(Video(tenant).SlotMinutes),
            Email = email,
            AgentId = agentId,
            PlannedBy = "agent",
            Language = language,
            CreatedAt = now,
            PlanKey = planKey,
        };
        var booked = new BookedAppointment(appointment, LinkUrl(tenant, link), CancelUrl(tenant, cancel));
        var reminder = await ReminderAsync(tenant, booked, ct);
        await using var db = databases.Open(tenant);
        // Stored encrypted; the caller composes the confirmation from the appointment, so it gets the address back below.
        db.Appointments.Add(appointment).Property(a => a.Email).CurrentValue = emails.Protect(tenant, email);
        if (reminder is not null)
        {
            // Saved in the same transaction as the appointment.
            db.Outbox.Add(reminder);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            // The agent's account was deleted since it was read: nothing of the plan stays (AgentGone answers).
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteDeleteAsync(ct);
            throw;
        }
        catch (DbUpdateException e) when (planKey is not null && StoreErrors.IsUniqueViolation(e))
        {
            // The same form, posted at once elsewhere, planned first: its appointment stands, this one never was.
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteDeleteAsync(ct);
            return null;
        }

        appointment.Email = email;
        await KeepSessionUntilAsync(db, session.Id, appointment.End.Value, ct);
        return booked;
    }

    /// <summary>The appointment a planning form made, while it is kept (cancelled included: the form planned once).</summary>
    public async Task<Appointment?> FindPlannedAsync(string tenant, string planKey, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.PlanKey == planKey, ct);
    }

    /// <summary>A planning form's one-time id as <see cref="Secrets.NewId"/> makes it, checked before any query.</summary>
    public static bool IsPlanKey(string value) =>
        value.Length is >= 16 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// The reminder of an appointment made more than ReminderHours before its start: the outbox sends it ReminderHours
    /// before the start and drops it if it has not gone by the start. An appointment made later gets none (no shorter
    /// reminder either): its confirmation, with the same links, arrived less than ReminderHours before.
    /// </summary>
    private async Task<OutgoingMail?> ReminderAsync(string tenant, BookedAppointment booked, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var start = booked.Appointment.Start!.Value;
        var hours = Video(tenant).ReminderHours;
        if (hours == 0 || start.AddHours(-hours) <= now)
        {
            return null;
        }

        if (!AppointmentMail.Addressable(booked.Appointment.Email!))
        {
            // The booking pages refuse such an address; a caller that did not is no reason to fail the booking.
            logger.LogWarning("Appointment {Appointment} of tenant {Tenant} gets no reminder: its address cannot be addressed", booked.Appointment.Id, tenant);
            return null;
        }

        var message = AppointmentMail.Reminder(booked, AppointmentMail.ContextFor(options.Value.Tenants[tenant], booked.Appointment, options.Value, now));
        return await outbox.ScheduleAsync(booked.Appointment.Id, message, start.AddHours(-hours), start, ct);
    }

    /// <summary>
    /// The appointment behind a link, only from LinkOpensMinutesBefore its start until GraceMinutes after its end; too
    /// early, the appointment (e-mail not opened) only so the refusal can say when the link opens (<see cref="OpensAt"/>).
    /// A link of another tenant is unknown here: each tenant's database holds only its own hashes.
    /// </summary>
    public async Task<(LinkOutcome Outcome, Appointment? Appointment)> OpenLinkAsync(string tenant, string token, CancellationToken ct)
    {
        if (!Plausible(token))
        {
            return (LinkOutcome.Unknown, null);
        }

        var hash = Secrets.Hash(token);
        await using var db = databases.Open(tenant);
        var found = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.LinkHash == hash, ct);
        if (found is not null && IsStandIn(found))
        {
            // A stand-in's link answers as a booking's until the call would open; there is no call to open.
            var standsFor = Shown(tenant, found)!;
            var shown = Window(tenant, standsFor);
            return (shown == LinkOutcome.Open ? LinkOutcome.Unknown : shown, shown == LinkOutcome.TooEarly ? standsFor : null);
        }

        if (found?.Start is null)
        {
            return (LinkOutcome.Unknown, null);
        }

        var window = Window(tenant, found);
        return (window, window switch
        {
            LinkOutcome.Open => emails.Opened(tenant, found),
            LinkOutcome.TooEarly => found,
            _ => null,
        });
    }

    /// <summary>Whether the call of a booked appointment may be joined now: from LinkOpensMinutesBefore its start until GraceMinutes after its end.</summary>
    public LinkOutcome Window(string tenant, Appointment appointment)
    {
        var video = Video(tenant);
        var now = time.GetUtcNow();
        return appointment.Start is null ? LinkOutcome.Unknown
            : now < OpensAt(tenant, appointment) ? LinkOutcome.TooEarly
            : video.IsOver(appointment.End!.Value, now) ? LinkOutcome.Over
            : LinkOutcome.Open;
    }

    /// <summary>When the call of a booked appointment may first be joined: LinkOpensMinutesBefore its start.</summary>
    public DateTimeOffset OpensAt(string tenant, Appointment appointment) =>
        appointment.Start!.Value.AddMinutes(-Video(tenant).LinkOpensMinutesBefore);

    /// <summary>The booked (not cancelled) appointment of a video session.</summary>
    public async Task<Appointment?> FindBySessionAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return emails.Opened(tenant, await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.SessionId == sessionId && a.Start != null && a.CancelledAt == null, ct));
    }

    /// <summary>A booked appointment of this tenant that has not ended and is not cancelled (the agents' cancel button).</summary>
    public async Task<Appointment?> FindOpenAsync(string tenant, string id, CancellationToken ct)
    {
        if (id.Length > 64)
        {
            return null;
        }

        DateTimeOffset? now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        return emails.Opened(tenant, await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.Start != null && a.CancelledAt == null && a.End > now, ct));
    }

    /// <summary>The resident opened the link: the call shows in the agents' overview as waiting (once). True when it did now.</summary>
    public async Task<bool> ArriveAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await db.Sessions.Where(s => s.Id == sessionId && s.Channel == Channels.Video && s.State == ContactState.Waiting)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Queued), ct) > 0;
    }

    /// <summary>
    /// An agent opens the call: an appointment nobody holds becomes theirs, one they hold stays theirs; someone else's is
    /// refused. One conditional update decides, so of two agents opening a free call at once one gets it.
    /// </summary>
    public async Task<AgentJoin> JoinAsAgentAsync(string tenant, string sessionId, string agentId, CancellationToken ct)
    {
        var appointment = await FindBySessionAsync(tenant, sessionId, ct);
        if (appointment is null)
        {
            return AgentJoin.Unknown;
        }

        var window = Window(tenant, appointment);
        if (window != LinkOutcome.Open)
        {
            return window == LinkOutcome.TooEarly ? AgentJoin.TooEarly : AgentJoin.Over;
        }

        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var mine = await db.Appointments.Where(a => a.Id == appointment.Id && (a.AgentId == null || a.AgentId == agentId))
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.AgentId, agentId), ct);
            if (mine == 0)
            {
                return AgentJoin.NotYours;
            }

            // Opening the call starts the agent's lease (CallLease): the page's hub connection renews it from here.
            DateTimeOffset? seen = time.GetUtcNow();
            await db.Sessions.Where(s => s.Id == sessionId && s.Channel == Channels.Video)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, agentId).SetProperty(s => s.AgentSeenAt, seen), ct);
        }
        catch (Exception e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            // The agent's account was deleted since it was read: the call waits for a colleague.
            return AgentJoin.Unknown;
        }

        await transaction.CommitAsync(ct);
        return AgentJoin.Joined;
    }

    /// <summary>The call ended (hang up): the appointment, its e-mail, its session with the result and its events are deleted at once.</summary>
    public async Task<bool> EndCallAsync(string tenant, Appointment appointment, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Outbox.Where(m => m.AppointmentId == appointment.Id).ExecuteDeleteAsync(ct);
        var deleted = await db.Appointments.Where(a => a.Id == appointment.Id).ExecuteDeleteAsync(ct);
        await db.Sessions.Where(s => s.Id == appointment.SessionId).ExecuteDeleteAsync(ct);
        await db.ChatMessages.Where(m => m.SessionId == appointment.SessionId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted > 0;
    }

    /// <summary>After an event during the call the session still lives at least until the appointment's end.</summary>
    public async Task KeepUntilEndAsync(string tenant, Appointment appointment, CancellationToken ct)
    {
        var until = appointment.End is { } end && end > time.GetUtcNow() ? end : time.GetUtcNow();
        await using var db = databases.Open(tenant);
        await KeepSessionUntilAsync(db, appointment.SessionId, until, ct);
    }

    /// <summary>The appointment a cancel link names, while it has not ended.</summary>
    public async Task<Appointment?> FindCancelAsync(string tenant, string token, CancellationToken ct)
    {
        if (!Plausible(token))
        {
            return null;
        }

        var hash = Secrets.Hash(token);
        await using var db = databases.Open(tenant);
        var found = Shown(tenant, await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.CancelHash == hash && a.CancelledAt == null, ct));
        return found?.End is { } end && end > time.GetUtcNow() ? emails.Opened(tenant, found) : null;
    }

    /// <summary>Whether <paramref name="token"/> is the cancel link of an appointment cancelled that has not yet ended.</summary>
    public async Task<bool> WasCancelledAsync(string tenant, string token, CancellationToken ct)
    {
        if (!Plausible(token))
        {
            return false;
        }

        var hash = Secrets.Hash(token);
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        return await db.CancelledLinks.AnyAsync(c => c.Hash == hash && c.Until > now, ct);
    }

    /// <summary>
    /// The appointment a confirmation page names: both of its e-mail's tokens, the call link's and the cancel link's,
    /// of one appointment that is not cancelled and has not ended. The page is exactly as strong as the e-mail.
    /// </summary>
    public async Task<Appointment?> FindConfirmationAsync(string tenant, string linkToken, string cancelToken, CancellationToken ct)
    {
        if (!Plausible(linkToken) || !Plausible(cancelToken))
        {
            return null;
        }

        string linkHash = Secrets.Hash(linkToken), cancelHash = Secrets.Hash(cancelToken);
        DateTimeOffset? now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        return emails.Opened(tenant, Shown(tenant, await db.Appointments.AsNoTracking()
            .FirstOrDefaultAsync(a => a.LinkHash == linkHash && a.CancelHash == cancelHash && a.CancelledAt == null && a.End > now, ct)));
    }

    /// <summary>Whether the appointment's confirmation still waits in the outbox (sent rows are deleted; a reminder has a SendBefore).</summary>
    public async Task<bool> ConfirmationWaitsAsync(string tenant, string appointmentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await db.Outbox.AnyAsync(m => m.AppointmentId == appointmentId && m.SendBefore == null, ct);
    }

    /// <summary>The confirmation page after booking (Post/Redirect/Get): it carries the e-mail's two tokens, nothing more.</summary>
    public static string ConfirmationPath(string tenant, BookedAppointment booked) =>
        $"/{tenant}/video/booked/{TokenOf(booked.Link)}/{TokenOf(booked.CancelLink)}";

    private static string TokenOf(string url) => url[(url.LastIndexOf('/') + 1)..];

    /// <summary>A token of a length this store hands out (<see cref="Secrets.NewId"/>), checked before any hash or query.</summary>
    private static bool Plausible(string token) => token.Length is >= 20 and <= 100;

    /// <summary>A phone call the agent holds now (taken, not ended): the only call whose proven data may go along to a video session.</summary>
    public async Task<ContactSession?> FindHeldCallAsync(string tenant, string sessionId, string agentId, CancellationToken ct)
    {
        if (sessionId.Length is 0 or > 64)
        {
            return null;
        }

        await using var db = databases.Open(tenant);
        return await db.Sessions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == sessionId && s.Channel == Channels.Phone && s.State == ContactState.Active && s.AgentId == agentId, ct);
    }

    /// <summary>
    /// The phone call's result (the encrypted token as received) goes along to the video session the agent planned for
    /// that caller, so the video call shows the proven data. Audited: who linked which call. Its replay key is derived,
    /// as each stored result has a key of its own. The caller has just planned the video session, so it has no access
    /// records yet: the pseudonym set here is on every record to come, and nothing needs a backfill.
    /// </summary>
    public async Task LinkCallAsync(string tenant, ContactSession call, string videoSessionId, Agents.Agent agent, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (call.ResultToken is not null)
        {
            var key = Secrets.Hash((call.ResultKey ?? call.Id) + "\n" + videoSessionId);
            await db.Sessions.Where(s => s.Id == videoSessionId && s.Channel == Channels.Video && s.ResultToken == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ResultToken, call.ResultToken).SetProperty(s => s.ResultKey, key).SetProperty(s => s.SubjectPseudonym, call.SubjectPseudonym), ct);
        }

        db.Audit.Add(Agents.AuditRecord.Of(agent, call.Id, LinkCallAuditAction, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public const string LinkCallAuditAction = "video-for-call";

    public string LinkUrl(string tenant, string token) => urls.Tenant(tenant, "/video/join/" + token);

    public string CancelUrl(string tenant, string token) => urls.Tenant(tenant, "/video/cancel/" + token);

    /// <summary>The session (and the resident's result) lives until the appointment's end, then retention's usual time.</summary>
    private static Task<int> KeepSessionUntilAsync(DeskDbContext db, string sessionId, DateTimeOffset end, CancellationToken ct) =>
        db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, end), ct);
}
