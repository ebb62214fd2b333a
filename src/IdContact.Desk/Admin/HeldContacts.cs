using System.Linq.Expressions;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Admin;

/// <summary>What an agent holds: active chats, taken phone calls, video appointments not cancelled and not yet over.</summary>
public sealed record HeldContacts(int Chats, int Calls, int Appointments)
{
    public static readonly HeldContacts None = new(0, 0, 0);

    public bool Any => Chats + Calls + Appointments > 0;

    /// <summary>An appointment someone may still hold: not cancelled, not yet over.</summary>
    public static Expression<Func<Appointment, bool>> Open(DateTimeOffset now) => a => a.CancelledAt == null && (a.End == null || a.End > now);

    /// <summary>Every agent's holdings (agents holding nothing are left out), or only <paramref name="agentId"/>'s.</summary>
    public static async Task<Dictionary<string, HeldContacts>> ByAgentAsync(DeskDbContext db, DateTimeOffset now, CancellationToken ct, string? agentId = null)
    {
        var sessions = await db.Sessions
            .Where(s => s.AgentId != null && (agentId == null || s.AgentId == agentId) && (s.Channel == Channels.Chat || s.Channel == Channels.Phone))
            .GroupBy(s => new { s.AgentId, s.Channel }).Select(g => new { g.Key.AgentId, g.Key.Channel, Count = g.Count() }).ToListAsync(ct);
        var appointments = await db.Appointments.Where(Open(now))
            .Where(a => a.AgentId != null && (agentId == null || a.AgentId == agentId))
            .GroupBy(a => a.AgentId).Select(g => new { AgentId = g.Key, Count = g.Count() }).ToListAsync(ct);
        return sessions.Select(s => s.AgentId!).Concat(appointments.Select(a => a.AgentId!)).Distinct().ToDictionary(id => id, id => new HeldContacts(
            sessions.Where(s => s.AgentId == id && s.Channel == Channels.Chat).Sum(s => s.Count),
            sessions.Where(s => s.AgentId == id && s.Channel == Channels.Phone).Sum(s => s.Count),
            appointments.Where(a => a.AgentId == id).Sum(a => a.Count)));
    }

    public static async Task<HeldContacts> OfAsync(DeskDbContext db, string agentId, DateTimeOffset now, CancellationToken ct) =>
        (await ByAgentAsync(db, now, ct, agentId)).GetValueOrDefault(agentId, None);

    /// <summary>"2 chats en 1 videoafspraak": the kinds held, Dutch first.</summary>
    public string Describe(bool english)
    {
        var parts = new[]
            {
                (Count: Chats, One: "chat", Many: "chats"),
                (Count: Calls, One: english ? "phone call" : "telefoongesprek", Many: english ? "phone calls" : "telefoongesprekken"),
                (Count: Appointments, One: english ? "video appointment" : "videoafspraak", Many: english ? "video appointments" : "videoafspraken"),
            }
            .Where(p => p.Count > 0).Select(p => $"{p.Count} {(p.Count == 1 ? p.One : p.Many)}").ToList();
        return parts.Count <= 1 ? string.Concat(parts) : string.Join(", ", parts[..^1]) + (english ? " and " : " en ") + parts[^1];
    }

    /// <summary>The admin page's warning beside the delete button.</summary>
    public string Warning(bool english) => english
        ? $"Still holds {Describe(true)}; deleting hands them back to the queue or an available colleague."
        : $"Heeft nog {Describe(false)}; bij verwijderen gaan die terug naar de wachtrij of naar een beschikbare collega.";
}
