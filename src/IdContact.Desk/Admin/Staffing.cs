using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Admin;

/// <summary>How an agent stands towards chats: their choice, and whether a page of theirs still renews the lease.</summary>
public enum StaffState
{
    /// <summary>Chose "Beschikbaar" and a page of theirs renewed the lease in time.</summary>
    Available,

    /// <summary>Chose "Afwezig", or never chose.</summary>
    Away,

    /// <summary>Chose "Beschikbaar" but the lease lapsed: browser closed, network or instance gone.</summary>
    NotConnected,
}

/// <summary>One row of the staffing table: an agent's name and counts, nothing of a resident (need to know).</summary>
public sealed record StaffRow(string Name, StaffState State, DateTimeOffset? Since, int Chats, int Calls, int AppointmentsToday);

/// <summary>What the administrator's staffing page (Bezetting) shows.</summary>
public sealed record StaffingView(QueueSummary Queue, IReadOnlyList<StaffRow> Agents, bool Capped, int MaxChatsPerAgent, DateTimeOffset Now);

/// <summary>
/// The staffing page's reads: the queue (<see cref="ContactQueue.SummaryAsync"/>) and one grouped query per kind
/// (agents, presence, sessions held, today's appointments), however many agents: no query per agent.
/// </summary>
public static class Staffing
{
    /// <summary>A municipality has tens of agents; past this the table says it shows only the first.</summary>
    public const int Cap = 500;

    public static async Task<StaffingView> ReadAsync(DeskDbContext db, DateTimeOffset now, TimeSpan lease, int maxChatsPerAgent, CancellationToken ct)
    {
        var queue = await ContactQueue.SummaryAsync(db, ct);

        // The data protection officer takes no contacts: not staff of the contact centre.
        var officers = AgentAuthorization.OfficerIds(db);
        var agents = await db.Users
            .Where(u => !officers.Contains(u.Id))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.UserName).Take(Cap + 1)
            .Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        var capped = agents.Count > Cap;
        if (capped)
        {
            agents.RemoveAt(Cap);
        }

        var ids = agents.Select(a => a.Id).ToList();
        var presence = await db.AgentPresence.Where(p => ids.Contains(p.AgentId)).AsNoTracking().ToDictionaryAsync(p => p.AgentId, ct);
        var held = await db.Sessions
            .Where(s => s.AgentId != null && s.State == ContactState.Active && (s.Channel == Channels.Chat || s.Channel == Channels.Phone))
            .GroupBy(s => new { s.AgentId, s.Channel }).Select(g => new { g.Key.AgentId, g.Key.Channel, Count = g.Count() }).ToListAsync(ct);

        // Today as the municipality reads it: from Dutch midnight to the next.
        var today = DutchTime.Of(now).Date;
        var (dayStart, dayEnd) = (DutchTime.Instant(today), DutchTime.Instant(today.AddDays(1)));
        var appointments = await db.Appointments
            .Where(a => a.AgentId != null && a.CancelledAt == null && a.Start >= dayStart && a.Start < dayEnd)
            .GroupBy(a => a.AgentId).Select(g => new { AgentId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.AgentId!, g => g.Count, ct);
        var chats = held.Where(h => h.Channel == Channels.Chat).ToDictionary(h => h.AgentId!, h => h.Count);
        var calls = held.Where(h => h.Channel == Channels.Phone).ToDictionary(h => h.AgentId!, h => h.Count);

        var takesChats = AgentPresence.TakesChats(now - lease).Compile();
        var rows = agents.Select(a =>
        {
            var (state, since) = StateOf(presence.GetValueOrDefault(a.Id), takesChats, lease);
            return new StaffRow(
                a.DisplayName.Length > 0 ? a.DisplayName : a.UserName ?? "",
                state,
                since,
                chats.GetValueOrDefault(a.Id),
                calls.GetValueOrDefault(a.Id),
                appointments.GetValueOrDefault(a.Id));
        }).ToList();
        return new StaffingView(queue, rows, capped, maxChatsPerAgent, now);
    }

    /// <summary>
    /// Available exactly when <see cref="AgentPresence.TakesChats"/> (compiled, as <paramref name="takesChats"/>) says so, the
    /// rule the chat queue uses; otherwise away by choice, or not connected since the lease lapsed.
    /// </summary>
    public static (StaffState State, DateTimeOffset? Since) StateOf(AgentPresence? presence, Func<AgentPresence, bool> takesChats, TimeSpan lease) => presence switch
    {
        null => (StaffState.Away, null),
        _ when takesChats(presence) => (StaffState.Available, presence.Since),
        { Available: false } => (StaffState.Away, presence.Since),
        _ => (StaffState.NotConnected, presence.LastSeen + lease),
    };
}
