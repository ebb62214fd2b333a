using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdContact.Desk.Video;

/// <summary>
/// Cancelling an appointment, by the resident (cancel link) or by an agent (Afspraken page, audited). In one transaction
/// the links stop working, the slot is free again, the session and its data are deleted, the address is removed from
/// the appointment and the cancellation e-mail (with a METHOD:CANCEL .ics) is put in the encrypted outbox: from then on
/// the address exists only in that message, which is deleted once sent; retention then deletes the row.
/// </summary>
public sealed class AppointmentCancellation(
    TenantDatabases databases,
    AppointmentStore appointments,
    MailOutbox outbox,
    VideoCall call,
    ContactNotifier contacts,
    AppointmentNotifier notifier,
    IOptions<IdContactOptions> options,
    TimeProvider time,
    ILogger<AppointmentCancellation> logger)
{
    public const string AuditAction = "cancel-appointment";

    /// <summary>The resident's cancel link; false when it does not (or no longer) work.</summary>
    public async Task<bool> CancelByLinkAsync(string tenant, string token, CancellationToken ct) =>
        await appointments.FindCancelAsync(tenant, token, ct) is { } found && await CancelAsync(tenant, found, CancelledBy.Resident, null, ct);

    /// <summary>An agent cancels an appointment of their tenant that has not ended; false when there is no such appointment (any more).</summary>
    public async Task<bool> CancelByAgentAsync(string tenant, string id, Agent agent, CancellationToken ct) =>
        await appointments.FindOpenAsync(tenant, id, ct) is { } found && await CancelAsync(tenant, found, CancelledBy.Agent, agent, ct);

    private async Task<bool> CancelAsync(string tenant, Appointment found, CancelledBy by, Agent? agent, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A stand-in (AppointmentStore.IsStandIn) is cancelled as a booking is, for its booker's eyes; its address has nothing to cancel.
        var standIn = AppointmentStore.IsStandIn(found);
        var message = standIn ? null : CancellationMail(tenant, found, by, now);

        var mail = message is null ? null : await outbox.PrepareAsync(found.Id, message, ct);

        await using var db = databases.Open(tenant);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // One conditional update decides: of two cancels at once (resident and agent), one goes through; an agent's
            // cancel leaves a call that is running (CallLease.Running) alone, even one opened in the same instant.
            DateTimeOffset? at = now;
            var byAgent = by == CancelledBy.Agent;
            var running = CallLease.Running(db, now, options.Value);
            var cancelled = await db.Appointments
                .Where(a => a.Id == found.Id && a.CancelledAt == null
                    && !(byAgent && running.Any(s => s.Id == a.SessionId)))
                .ExecuteUpdateAsync(
                    u => u.SetProperty(a => a.CancelledAt, at).SetProperty(a => a.LinkHash, (string?)null).SetProperty(a => a.CancelHash, (string?)null)
                        .SetProperty(a => a.DeskNumber, (int?)null).SetProperty(a => a.Email, (string?)null)
                        .SetProperty(a => a.EmailHash, (string?)null).SetProperty(a => a.EmailNumber, (int?)null),
                    ct);
            if (cancelled == 0)
            {
                return false;
            }

            // A confirmation still waiting in the outbox, or a reminder not yet due, is not sent after the cancellation (a
            // stand-in's e-mail, which says that nothing was booked, still goes).
            if (!standIn)
            {
                await db.Outbox.Where(m => m.AppointmentId == found.Id).ExecuteDeleteAsync(ct);
            }
            if (mail is not null)
            {
                db.Outbox.Add(mail);
            }

            if (agent is not null)
            {
                db.Audit.Add(AuditRecord.Of(agent, found.SessionId, AuditAction, now));
            }

            // The link opened again says the appointment is cancelled, until it would have ended.
            if (found is { CancelHash: { } cancelHash, End: { } end })
            {
                db.CancelledLinks.Add(new CancelledLink { Hash = cancelHash, Until = end });
            }

            await db.SaveChangesAsync(ct);
            await db.Sessions.Where(s => s.Id == found.SessionId).ExecuteDeleteAsync(ct);
            await db.ChatMessages.Where(m => m.SessionId == found.SessionId).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }

        if (mail is not null)
        {
            await outbox.TrySendAsync(tenant, mail, message!, ct);
        }

        // A call in progress ends on both sides; the lists drop the appointment.
        await call.TellAsync(tenant, found.SessionId, toResident: true, "ended");
        await call.TellAsync(tenant, found.SessionId, toResident: false, "ended");
        await contacts.ChangedAsync(tenant);
        notifier.Changed(tenant);
        return true;
    }

    private MimeMessage? CancellationMail(string tenant, Appointment found, CancelledBy by, DateTimeOffset now)
    {
        if (found.Email is null)
        {
            return null;
        }
        if (AppointmentMail.Addressable(found.Email))
        {
            return AppointmentMail.Cancellation(found, found.Email, by, AppointmentMail.ContextFor(options.Value.Tenants[tenant], found, options.Value, now));
        }

        // Stored before addresses were checked with MimeKit: the appointment is still cancelled, without the e-mail.
        logger.LogWarning("Appointment {Appointment} of tenant {Tenant} cancelled without a cancellation e-mail: its stored address cannot be addressed", found.Id, tenant);
        return null;
    }
}
