using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Phone;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Admin;

/// <summary>What a deleted agent held and where it went.</summary>
/// <param name="VideoSessions">The video sessions the agent had opened: a call in progress is ended on their side.</param>
/// <param name="EndedIdentifications">Web identifications of callers the agent had started: ended, their data deleted.</param>
public sealed record HandedBack(IReadOnlyList<HandedBackChat> Chats, int Calls, int Appointments, IReadOnlyList<string> VideoSessions, int EndedIdentifications)
{
    /// <summary>Back for every agent to take: queued chats, calls, appointments.</summary>
    public HeldContacts ForEveryone => new(Chats.Count(c => c.To is null), Calls, Appointments);

    /// <summary>Chats that went straight to an available colleague (AutoAssign).</summary>
    public int ToColleagues => Chats.Count(c => c.To is not null);

    /// <summary>The admin page's notice after the deletion, following "Verwijderd: name.".</summary>
    public string Describe(bool english)
    {
        var text = ForEveryone.Any
            ? english ? $" Handed back, visible to every agent again: {ForEveryone.Describe(true)}." : $" Teruggegeven, weer zichtbaar voor alle medewerkers: {ForEveryone.Describe(false)}."
            : "";
        if (ToColleagues > 0)
        {
            text += (english ? " Straight to an available colleague: " : " Direct naar een beschikbare collega: ") + new HeldContacts(ToColleagues, 0, 0).Describe(english) + ".";
        }

        return EndedIdentifications == 0 ? text
            : text + (english ? $" Caller identifications ended and deleted: {EndedIdentifications}." : $" Identificaties van bellers beëindigd en verwijderd: {EndedIdentifications}.");
    }
}

/// <summary>
/// Hands back what an agent holds when their account is deleted: an employee who leaves loses access at once, and no
/// resident waits on nobody. Chats go to a colleague or the queue (<see cref="ChatStore.ReleaseAsync"/>), taken phone
/// calls back to the queue (as after a failed routing), video appointments to nobody, so every agent sees and may take
/// them; each hand-back is audited under the deleted agent's name.
/// </summary>
public sealed class AgentRelease(ChatStore chats, ChatFlow flow, VideoCall video, ContactNotifier notifier, AppointmentNotifier appointments, DeskMetrics metrics, TimeProvider time)
{
    /// <summary>In the caller's transaction on <paramref name="db"/>, which deletes the account too: all of it happens, or none.</summary>
    public async Task<HandedBack> ReleaseAsync(DeskDbContext db, string tenant, Agent agent, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var handedChats = await chats.ReleaseAsync(db, tenant, agent, ct);
        // A web identification (no call id, Phone/WebCodes) was this agent's conversation alone: nobody could take it from
        // the queue, so it ends with the account and its data goes now, not at retention.
        var identifications = await db.Sessions.Where(WebCodes.Identifications).Where(s => s.AgentId == agent.Id).ExecuteDeleteAsync(ct);
        var calls = await db.Sessions.Where(s => s.Channel == Channels.Phone && s.AgentId == agent.Id).Select(s => s.Id).ToListAsync(ct);
        await db.Sessions.Where(s => s.Channel == Channels.Phone && s.AgentId == agent.Id).ExecuteUpdateAsync(
            u => u.SetProperty(s => s.State, ContactState.Queued).SetProperty(s => s.AgentId, (string?)null).SetProperty(s => s.LastActivityAt, now), ct);

        // Every appointment row loses the id; the ones not yet over are what was handed back.
        var open = await db.Appointments.Where(HeldContacts.Open(now)).Where(a => a.AgentId == agent.Id).Select(a => a.SessionId).ToListAsync(ct);
        await db.Appointments.Where(a => a.AgentId == agent.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.AgentId, (string?)null), ct);
        // A call the agent had opened waits for the colleague who opens it next.
        var videoSessions = await db.Sessions.Where(s => s.Channel == Channels.Video && s.AgentId == agent.Id).Select(s => s.Id).ToListAsync(ct);
        await db.Sessions.Where(s => s.Channel == Channels.Video && s.AgentId == agent.Id).ExecuteUpdateAsync(
            u => u.SetProperty(s => s.State, ContactState.Queued).SetProperty(s => s.AgentId, (string?)null), ct);

        db.Audit.AddRange(calls.Concat(open).Select(id => AuditRecord.Of(agent, id, AuditActions.Release, now)));
        // Offered no more chats, and an open page of theirs cannot renew the lease.
        await db.AgentPresence.Where(p => p.AgentId == agent.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return new HandedBack(handedChats, calls.Count, open.Count, videoSessions, identifications);
    }

    /// <summary>After the commit: the residents' chats, a call in progress and every agent page are told.</summary>
    public async Task AnnounceAsync(string tenant, string agentId, HandedBack handed)
    {
        await flow.HandedBackAsync(tenant, agentId, handed.Chats);
        if (handed.Chats.Count > 0)
        {
            metrics.ChatsHandedBack(tenant, "deleted", handed.Chats.Count);
        }

        foreach (var session in handed.VideoSessions)
        {
            // The departed agent's page hangs up; the resident's waits for the colleague.
            await video.TellAsync(tenant, session, toResident: false, "ended");
            await video.TellAsync(tenant, session, toResident: true, "left");
        }

        await notifier.ChangedAsync(tenant);
        appointments.Changed(tenant);
    }
}
