using IdContact.Hosting;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace IdContact.Desk.Video;

/// <summary>
/// Appointment e-mail is written to an outbox first and sent at once; a failed send is retried with growing pauses by
/// the background loop and shown to agents until it goes, never dropped silently. A reminder waits in the same outbox
/// until its due time and is dropped (not sent late) once its appointment has started. Logs name the appointment id,
/// never the address or the link.
/// </summary>
public sealed class MailOutbox(
    TenantDatabases databases,
    IMailTransport transport,
    IDataProtectionProvider protection,
    TimeProvider time,
    DeskMetrics metrics,
    ILogger<MailOutbox> logger) : BackgroundService
{
    public const int MaxAttempts = 10;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly IDataProtector _protector = protection.CreateProtector("IdContact.Desk.Video.Outbox");

    /// <summary>Stores the message and tries to send it now; false when it waits for a retry.</summary>
    public async Task<bool> SendAsync(string tenant, string appointmentId, MimeMessage message, CancellationToken ct)
    {
        var mail = await PrepareAsync(appointmentId, message, ct);
        await using (var db = databases.Open(tenant))
        {
            db.Outbox.Add(mail);
            await db.SaveChangesAsync(ct);
        }

        return await TrySendAsync(tenant, mail, message, ct);
    }

    /// <summary>The outbox row of a message, encrypted, for a caller that stores it in its own transaction and then calls <see cref="TrySendAsync"/>.</summary>
    public Task<OutgoingMail> PrepareAsync(string appointmentId, MimeMessage message, CancellationToken ct) =>
        ScheduleAsync(appointmentId, message, time.GetUtcNow() + Lease, null, ct);

    /// <summary>
    /// The outbox row of a message that the background loop sends at <paramref name="dueAt"/> (the reminder), or drops
    /// once <paramref name="sendBefore"/> has passed; the caller stores it in its own transaction.
    /// </summary>
    public async Task<OutgoingMail> ScheduleAsync(string appointmentId, MimeMessage message, DateTimeOffset dueAt, DateTimeOffset? sendBefore, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, ct);
        return new OutgoingMail
        {
            Id = Secrets.NewId(),
            AppointmentId = appointmentId,
            ProtectedMessage = _protector.Protect(Convert.ToBase64String(buffer.ToArray())),
            NextAttemptAt = dueAt,
            SendBefore = sendBefore,
            CreatedAt = time.GetUtcNow(),
        };
    }

    /// <summary>One pass over every tenant's outbox: messages whose retry time has come.</summary>
    public async Task<int> ProcessAsync(CancellationToken ct)
    {
        var sent = 0;
        foreach (var tenant in databases.Tenants)
        {
            var now = time.GetUtcNow();
            List<OutgoingMail> due;
            await using (var db = databases.Open(tenant))
            {
                // A reminder whose appointment has started is no use any more: dropped, neither sent late nor shown as failed.
                DateTimeOffset? started = now;
                var dropped = await db.Outbox.Where(m => m.SendBefore <= started).ExecuteDeleteAsync(ct);
                if (dropped > 0)
                {
                    logger.LogInformation("{Count} reminder(s) of tenant {Tenant} dropped: not sent before the appointment's start", dropped, tenant);
                }

                due = await db.Outbox.AsNoTracking().Where(m => m.NextAttemptAt <= now && m.Attempts < MaxAttempts).OrderBy(m => m.NextAttemptAt).Take(50).ToListAsync(ct);
            }

            foreach (var mail in due)
            {
                // Claimed by one instance only: the row's retry time moves forward in one conditional update.
                await using var db = databases.Open(tenant);
                var claimed = await db.Outbox.Where(m => m.Id == mail.Id && m.NextAttemptAt == mail.NextAttemptAt)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, now + Lease), ct);
                if (claimed == 0)
                {
                    continue;
                }

                var message = await MimeMessage.LoadAsync(new MemoryStream(Convert.FromBase64String(_protector.Unprotect(mail.ProtectedMessage))), ct);
                if (await TrySendAsync(tenant, mail, message, ct))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    /// <summary>One attempt at a stored message: deleted once sent, else its retry time and attempt count move on.</summary>
    public async Task<bool> TrySendAsync(string tenant, OutgoingMail mail, MimeMessage message, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        try
        {
            if (mail.SendBefore is not null)
            {
                // A scheduled message is written when it goes: mail programs sort by this date.
                message.Date = time.GetUtcNow();
            }

            await transport.SendAsync(message, ct);
            await db.Outbox.Where(m => m.Id == mail.Id).ExecuteDeleteAsync(ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = mail.Attempts + 1;
            var next = time.GetUtcNow() + Backoff(attempts);
            var error = e.GetType().Name;
            await db.Outbox.Where(m => m.Id == mail.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, error), ct);
            logger.LogWarning("E-mail for appointment {Appointment} of tenant {Tenant} not sent (attempt {Attempt}: {Error})", mail.AppointmentId, tenant, attempts, error);
            metrics.MailFailed(tenant);
            return false;
        }
    }

    /// <summary>30 s, 1 min, 2 min … at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15), time);
        while (await timer.NextAsync(stoppingToken))
        {
            try
            {
                await ProcessAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Outbox pass failed");
            }
        }
    }
}
