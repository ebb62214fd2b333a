using IdContact.Desk.Agents;
using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Retention;

/// <summary>Deletes sessions and their data a fixed time after the last activity (P11, M3), in every tenant.</summary>
public sealed class RetentionService(
    TenantDatabases databases,
    UsedResults usedResults,
    DeskMetrics metrics,
    IOptions<IdContactOptions> options,
    TimeProvider time,
    ContactNotifier notifier,
    DeletionPush deletions,
    Video.AppointmentNotifier appointments,
    Chat.AbsentChatHolders absentHolders,
    ILogger<RetentionService> logger) : BackgroundService
{
    private readonly TimeSpan _retention = TimeSpan.FromMinutes(options.Value.Desk().RetentionMinutes);
    private readonly TimeSpan _presenceLease = options.Value.Desk().Chat.PresenceLease;
    private readonly TimeSpan _auditRetention = TimeSpan.FromDays(options.Value.Desk().AuditRetentionDays);
    private readonly TimeSpan _handBackAfter = TimeSpan.FromMinutes(options.Value.Desk().Chat.HandBackAfterMinutes);

    /// <summary>One sweep over all tenants; returns how many sessions were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now - _retention;
        var total = 0;
        foreach (var tenant in databases.Tenants)
        {
            await using var db = databases.Open(tenant);
            var gone = await DeleteSessionsAsync(db, cutoff, ct);
            var deleted = gone.Count;
            // Chat lines go with their chat: none outlives the session it belongs to.
            await db.ChatMessages.Where(m => !db.Sessions.Any(s => s.Id == m.SessionId)).ExecuteDeleteAsync(ct);
            if (await Video.AppointmentRetention.SweepAsync(db, now, _retention, ct) > 0)
            {
                // An open Afspraken page drops the deleted appointments (and their e-mail addresses) at once.
                appointments.Changed(tenant);
            }
            await db.CallAttempts.Where(a => a.LastAt < cutoff).ExecuteDeleteAsync(ct);

            // Who looked at whose data must stay answerable, but not forever (Desk:AuditRetentionDays).
            var auditCutoff = now - _auditRetention;
            await db.Audit.Where(a => a.At < auditCutoff).ExecuteDeleteAsync(ct);
            await db.AdminAudit.Where(a => a.At < auditCutoff).ExecuteDeleteAsync(ct);

            // Hashed caller numbers are kept no longer than the window they limit.
            var windowEnded = now - WrongCodeCounter.CallerWindow;
            await db.WrongCodeWindows.Where(w => w.WindowStart < windowEnded).ExecuteDeleteAsync(ct);
            if (deleted > 0)
            {
                logger.LogInformation("Retention deleted {Count} sessions of tenant {Tenant}", deleted, tenant);
                metrics.RetentionDeleted(tenant, deleted);
                await notifier.ChangedAsync(tenant);
                await deletions.DeletedAsync(tenant, gone);
            }

            total += deleted;

            // Chats waiting with nobody to take them: the operator's alert reads these gauges, refreshed here once a sweep.
            var queue = await ContactQueue.SummaryAsync(db, ct);
            var taking = await db.AgentPresence.CountAsync(Chat.AgentPresence.TakesChats(now - _presenceLease), ct);
            metrics.ChatStaffing(tenant, queue.Chats.Count, taking);

            // Residents whose agent's pages are gone get a colleague (or the queue) instead of waiting until retention.
            if (_handBackAfter > TimeSpan.Zero)
            {
                await absentHolders.SweepAsync(tenant, _handBackAfter, ct);
            }
        }

        await usedResults.PurgeAsync(time.GetUtcNow(), ct);
        metrics.RetentionSwept(); // counted when done: a sweep that fails every time shows as none (an alert rule)
        return total;
    }

    /// <summary>
    /// Deletes the sessions idle since before <paramref name="cutoff"/> and returns them, so their open pages can be
    /// told. A session active again between the read and the delete is kept, and not named.
    /// </summary>
    private static async Task<List<DeletedContact>> DeleteSessionsAsync(DeskDbContext db, DateTimeOffset cutoff, CancellationToken ct)
    {
        var stale = await db.Sessions.Where(s => s.LastActivityAt < cutoff).Select(s => new DeletedContact(s.Id, s.Channel, s.AgentId)).ToListAsync(ct);
        if (stale.Count == 0)
        {
            return stale;
        }

        var ids = stale.Select(s => s.Id).ToList();
        var deleted = await db.Sessions.Where(s => ids.Contains(s.Id) && s.LastActivityAt < cutoff).ExecuteDeleteAsync(ct);
        if (deleted < stale.Count)
        {
            var kept = (await db.Sessions.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            stale.RemoveAll(s => kept.Contains(s.Id));
        }

        return stale;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Desk().RetentionSweepSeconds), time);
        while (await timer.NextAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not stop retention for good; the next tick tries again.
                logger.LogError(e, "Retention sweep failed");
            }
        }
    }
}
