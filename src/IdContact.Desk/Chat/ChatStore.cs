using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>
/// Chats in the tenant's database: a chat is a <see cref="ContactSession"/> with channel <see cref="Channels.Chat"/> whose
/// <see cref="ContactSession.SecretHash"/> is the hash of the resident's capability, plus its <see cref="ChatMessage"/>s.
/// Waiting = started, resident not yet on the chat page; Queued = waiting for an agent; Active = an agent holds it.
/// </summary>
public sealed class ChatStore(
    TenantDatabases databases, TimeProvider time, IOptions<IdContactOptions> options, ChatTextProtector texts, ILogger<ChatStore> logger)
{
    // Compiled once: every invocation on a resident's or agent's chat hub, and every resident page, looks its chat up.
    private static readonly PerModel<Func<DeskDbContext, string, CancellationToken, Task<ContactSession?>>> ById =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string id, CancellationToken ct) =>
            db.Sessions.AsNoTracking().FirstOrDefault(s => s.Id == id && s.Channel == Channels.Chat)));

    private static readonly PerModel<Func<DeskDbContext, string, CancellationToken, Task<ContactSession?>>> ByCapabilityHash =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string hash, CancellationToken ct) =>
            db.Sessions.AsNoTracking().FirstOrDefault(s => s.SecretHash == hash && s.Channel == Channels.Chat)));

    private static readonly PerModel<Func<DeskDbContext, string, string, CancellationToken, Task<ChatMessage?>>> ByClientId =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string sessionId, string clientId, CancellationToken ct) =>
            db.ChatMessages.AsNoTracking().FirstOrDefault(m => m.SessionId == sessionId && m.ClientId == clientId)));

    /// <summary>Creates a chat; returns it and the resident's capability (≥128 bits, stored only hashed).</summary>
    public async Task<(ContactSession Session, string Capability)> CreateAsync(string tenant, string purpose, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var capability = Secrets.NewId(32);
        var session = new ContactSession
        {
            Id = Secrets.NewId(),
            Channel = Channels.Chat,
            Purpose = purpose,
            State = ContactState.Waiting,
            SecretHash = Secrets.Hash(capability),
            CreatedAt = now,
            LastActivityAt = now,
        };
        await using var db = databases.Open(tenant);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return (session, capability);
    }

    /// <summary>The chat this capability opens, in this tenant only; null for anything else (ended, wrong tenant, made up).</summary>
    public async Task<ContactSession?> FindByCapabilityAsync(string tenant, string? capability, CancellationToken ct)
    {
        if (capability is not { Length: >= 22 and <= 64 })
        {
            return null;
        }

        await using var db = databases.Open(tenant);
        return await ByCapabilityHash.For(db)(db, Secrets.Hash(capability), ct);
    }

    public async Task<ContactSession?> FindAsync(string tenant, string id, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await ById.For(db)(db, id, ct);
    }

    /// <summary>Someone can take a chat now: the chat is open (opening hours) and an agent is available.</summary>
    public async Task<bool> CanStartAsync(string tenant, CancellationToken ct)
    {
        if (!OpeningHours.IsOpen(options.Value.Tenants[tenant].Desk().Chat, time.GetUtcNow()))
        {
            return false;
        }

        await using var db = databases.Open(tenant);
        return await Available(db).AnyAsync(ct);
    }

    /// <summary>The resident arrived on the chat page: a waiting chat joins the queue (once). True when it did now.</summary>
    public async Task<bool> EnqueueAsync(string tenant, string id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        return await db.Sessions.Where(s => s.Id == id && s.State == ContactState.Waiting)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Queued).SetProperty(s => s.CreatedAt, now).SetProperty(s => s.LastActivityAt, now), ct) > 0;
    }

    public async Task<ChatStatus> StatusAsync(string tenant, ContactSession session, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        switch (session.State)
        {
            case ContactState.Queued:
                var ahead = await db.Sessions.CountAsync(s => s.Channel == Channels.Chat && s.State == ContactState.Queued && s.AgentId == null && s.CreatedAt < session.CreatedAt, ct);
                return new ChatStatus("queued", ahead + 1, null);
            case ContactState.Active:
                var name = await db.Users.Where(u => u.Id == session.AgentId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
                return new ChatStatus("active", 0, name);
            default:
                return new ChatStatus("waiting", 0, null);
        }
    }

    /// <summary>
    /// An available agent under the maximum takes a queued chat. One conditional update decides, so of agents pressing
    /// "Chat aannemen" at once exactly one gets it; the agent's number of chats is in its condition too, read once their
    /// chat slots are locked, so chats given to one agent at once (automatic assignment) never put them over the maximum.
    /// </summary>
    public async Task<TakeOutcome> TakeAsync(string tenant, string id, Agent agent, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        if (!await Available(db).AnyAsync(p => p.AgentId == agent.Id, ct))
        {
            return TakeOutcome.Away;
        }

        var max = options.Value.Tenants[tenant].Desk().Chat.MaxChatsPerAgent;
        if (await ActiveCountAsync(db, agent.Id, ct) >= max)
        {
            return TakeOutcome.Full;
        }

        var held = Held(db, agent.Id);
        if (await QueuedTake.ClaimAsync(db, id, s => s.Channel == Channels.Chat && held.Count() < max, agent, time.GetUtcNow(), ct, () => LockChatSlotsAsync(db, agent.Id, ct)))
        {
            return TakeOutcome.Taken;
        }

        return await ActiveCountAsync(db, agent.Id, ct) >= max ? TakeOutcome.Full : TakeOutcome.Gone;
    }

    /// <summary>The chat that waits longest (nobody holds it), or null.</summary>
    public async Task<string?> FirstQueuedAsync(string tenant, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await ContactQueue.FirstAsync(db, Channels.Chat, ct);
    }

    /// <summary>Automatic assignment: the available agent with the fewest chats, under the maximum, not in <paramref name="except"/>; null when none.</summary>
    public async Task<Agent?> LeastBusyAvailableAsync(string tenant, IReadOnlyCollection<string> except, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await LeastBusyAvailableAsync(db, tenant, except, ct);
    }

    /// <summary>As above, on the caller's context (and so inside its transaction).</summary>
    private async Task<Agent?> LeastBusyAvailableAsync(DeskDbContext db, string tenant, IReadOnlyCollection<string> except, CancellationToken ct)
    {
        var max = options.Value.Tenants[tenant].Desk().Chat.MaxChatsPerAgent;
        var available = await Available(db).Where(p => !except.Contains(p.AgentId)).Select(p => p.AgentId).ToListAsync(ct);
        var load = await db.Sessions.Where(s => s.Channel == Channels.Chat && s.State == ContactState.Active && s.AgentId != null && available.Contains(s.AgentId))
            .GroupBy(s => s.AgentId!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var pick = available.Select(a => (Id: a, Load: load.GetValueOrDefault(a))).Where(a => a.Load < max).OrderBy(a => a.Load).ThenBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault();
        return pick.Id is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == pick.Id, ct);
    }

    /// <summary>
    /// Hands an active chat of <paramref name="from"/> to another available agent under the maximum. The colleague's
    /// availability and number of chats are part of the update's condition, read once their chat slots are locked
    /// (<see cref="LockChatSlotsAsync"/>), so hand-overs to one colleague at the same moment never put them over it.
    /// </summary>
    public async Task<Agent?> TransferAsync(string tenant, string id, Agent from, string toAgentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var max = options.Value.Tenants[tenant].Desk().Chat.MaxChatsPerAgent;
        var to = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == toAgentId, ct);
        if (to is null || to.Id == from.Id)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var available = Available(db).Where(p => p.AgentId == to.Id);
        var held = Held(db, to.Id);
        // The move and its audit record commit together, or neither does.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        int moved;
        try
        {
            await LockChatSlotsAsync(db, to.Id, ct);
            moved = await db.Sessions.Where(s => s.Id == id && s.Channel == Channels.Chat && s.State == ContactState.Active && s.AgentId == from.Id)
                .Where(s => available.Any() && held.Count() < max)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentId, to.Id).SetProperty(s => s.LastActivityAt, now), ct);
        }
        catch (Exception e) when (StoreErrors.IsForeignKeyViolation(e))
        {
            // The colleague's account was deleted since it was read: the chat stays with the agent.
            return null;
        }

        if (moved == 0)
        {
            return null;
        }

        db.Audit.Add(AuditRecord.Of(from, id, AuditActions.Transfer, now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return to;
    }

    /// <summary>
    /// Hands back every chat <paramref name="from"/> holds, in the caller's transaction on <paramref name="db"/> (their account
    /// is being deleted). As a new chat would be (<see cref="ChatFlow.ArriveAsync"/>): with AutoAssign to the least busy
    /// available colleague under the maximum, else back to the queue, where its first arrival keeps it in front. Each gets
    /// the line that a colleague takes over, and is audited as released by <paramref name="from"/> (and taken by the colleague).
    /// </summary>
    public async Task<List<HandedBackChat>> ReleaseAsync(DeskDbContext db, string tenant, Agent from, CancellationToken ct, string action = AuditActions.Release)
    {
        var now = time.GetUtcNow();
        var autoAssign = options.Value.Tenants[tenant].Desk().Chat.AutoAssign;
        var ids = await db.Sessions.Where(s => s.Channel == Channels.Chat && s.AgentId == from.Id).OrderBy(s => s.CreatedAt).Select(s => s.Id).ToListAsync(ct);
        var handed = new List<HandedBackChat>(ids.Count);
        foreach (var id in ids)
        {
            // The load is read again for each chat: the ones handed out just before count, inside this transaction.
            var to = autoAssign ? await LeastBusyAvailableAsync(db, tenant, [from.Id], ct) : null;
            var (state, toId) = to is null ? (ContactState.Queued, (string?)null) : (ContactState.Active, to.Id);
            if (await db.Sessions.Where(s => s.Id == id && s.Channel == Channels.Chat && s.State == ContactState.Active && s.AgentId == from.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, state).SetProperty(s => s.AgentId, toId).SetProperty(s => s.LastActivityAt, now), ct) == 0)
            {
                // Ended, or handed back by another instance's sweep since it was read: nothing to tell.
                continue;
            }

            db.Audit.Add(AuditRecord.Of(from, id, action, now));
            var lines = new List<ChatMessage> { Event(tenant, id, ChatKinds.HandedBack, null, now) };
            if (to is not null)
            {
                db.Audit.Add(AuditRecord.Of(to, id, AuditActions.Take, now));
                lines.Add(Event(tenant, id, ChatKinds.Joined, to.DisplayName, now));
            }

            // One line per save, so their sequence numbers keep this order.
            foreach (var line in lines)
            {
                db.ChatMessages.Add(line);
                await db.SaveChangesAsync(ct);
            }

            handed.Add(new HandedBackChat(id, to, lines.Select(m => ChatLine.Of(m, "")).ToList()));
        }

        return handed;
    }

    /// <summary>The agent's choice; making it renews the lease too (the agent is evidently there).</summary>
    public async Task SetAvailableAsync(string tenant, string agentId, bool available, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        if (await db.AgentPresence.Where(p => p.AgentId == agentId)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Available, available).SetProperty(p => p.Since, now).SetProperty(p => p.LastSeen, now), ct) == 0)
        {
            db.AgentPresence.Add(new AgentPresence { AgentId = agentId, Available = available, Since = now, LastSeen = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (StoreErrors.IsForeignKeyViolation(e))
            {
                // The account was deleted since it was read: nobody is there to be offered chats.
            }
            catch (DbUpdateException e) when (StoreErrors.IsUniqueViolation(e))
            {
                // Another page of the same agent made the row at the same moment; set it again.
                await db.AgentPresence.Where(p => p.AgentId == agentId)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Available, available).SetProperty(p => p.Since, now).SetProperty(p => p.LastSeen, now), ct);
            }
        }
    }

    /// <summary>
    /// An open page of the agent says they are there: renews the lease, in one small UPDATE for an available agent. An
    /// away agent stays away, but is seen too (a second UPDATE), so the chats they finish are not handed back
    /// (<see cref="AbsentHoldersAsync"/>). True when the agent takes chats now.
    /// </summary>
    public async Task<bool> RenewAsync(string tenant, string agentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = databases.Open(tenant);
        if (await db.AgentPresence.Where(p => p.AgentId == agentId && p.Available).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, now), ct) > 0)
        {
            return true;
        }

        await db.AgentPresence.Where(p => p.AgentId == agentId).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, now), ct);
        return false;
    }

    /// <summary>
    /// Agents who hold a chat while no page of theirs was seen since <paramref name="seenBefore"/> (the browser closed, the
    /// laptop went to sleep, the network went): their residents wait on nobody.
    /// </summary>
    public static Task<List<Agent>> AbsentHoldersAsync(DeskDbContext db, DateTimeOffset seenBefore, CancellationToken ct)
    {
        var holders = db.Sessions.Where(s => s.Channel == Channels.Chat && s.State == ContactState.Active && s.AgentId != null)
            .Where(s => !db.AgentPresence.Any(p => p.AgentId == s.AgentId && p.LastSeen >= seenBefore))
            .Select(s => s.AgentId);
        return db.Users.AsNoTracking().Where(u => holders.Contains(u.Id)).ToListAsync(ct);
    }

    /// <summary>
    /// The renewal of a page that (re)connects to a hub. A database that does not answer must not cost the agent the live
    /// updates, which need none (and a failed connect would skip the hub's disconnect bookkeeping): the page renews again
    /// within Desk:Chat:PresenceRenewSeconds.
    /// </summary>
    public async Task RenewOnConnectAsync(string tenant, string agentId, CancellationToken ct)
    {
        try
        {
            await RenewAsync(tenant, agentId, ct);
        }
        catch (Exception e) when (StoreUnavailable.IsUnavailable(e))
        {
            logger.LogWarning("Tenant {Tenant}: could not renew an agent's chat presence on connect, the database did not answer", tenant);
        }
    }

    public async Task<bool> IsAvailableAsync(string tenant, string agentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        return await Available(db).AnyAsync(p => p.AgentId == agentId, ct);
    }

    /// <summary>Other available agents a chat can be handed to, by display name.</summary>
    public async Task<List<(string Id, string Name)>> OtherAvailableAgentsAsync(string tenant, string agentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var ids = await Available(db).Where(p => p.AgentId != agentId).Select(p => p.AgentId).ToListAsync(ct);
        var agents = await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        return agents.OrderBy(a => a.DisplayName, StringComparer.CurrentCulture).Select(a => (a.Id, a.DisplayName)).ToList();
    }

    /// <summary>The active chats an agent holds, oldest first.</summary>
    public async Task<List<ContactSession>> ChatsOfAsync(string tenant, string agentId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var chats = await Held(db, agentId).AsNoTracking().ToListAsync(ct);
        return chats.OrderBy(s => s.CreatedAt).ToList();
    }

    /// <summary>
    /// Stores a line once: a second send with the same client id (a resend after a dropped connection) returns the line
    /// stored the first time. Null when the chat no longer exists.
    /// </summary>
    public async Task<ChatLine?> AddAsync(string tenant, string sessionId, string clientId, string sender, string kind, string? agentName, string text, CancellationToken ct) =>
        (await StoreAsync(tenant, sessionId, clientId, sender, kind, agentName, text, ct))?.Line;

    /// <summary>
    /// As <see cref="AddAsync"/>, and the agent who holds the chat as the line was stored (to push it to), so the caller
    /// needs no lookup of its own: the message hot path. The chat's activity is renewed with the line (retention runs
    /// off it). On PostgreSQL that is one statement and one round trip; a resend costs a second, to read the first line.
    /// </summary>
    public async Task<StoredLine?> StoreAsync(string tenant, string sessionId, string clientId, string sender, string kind, string? agentName, string text, CancellationToken ct)
    {
        var message = Message(tenant, sessionId, clientId, sender, kind, agentName, text, time.GetUtcNow());
        await using var db = databases.Open(tenant);
        var outcome = db.Database.IsNpgsql() ? await InsertInOneStatementAsync(db, message, ct) : await InsertAfterTouchAsync(db, message, ct);
        if (outcome is null)
        {
            return null;
        }

        if (outcome.Sequence is { } sequence)
        {
            message.Sequence = sequence;
            return new StoredLine(ChatLine.Of(message, text), outcome.AgentId);
        }

        // The client id was taken (a resend, or the same resend racing on another connection): the first line stands.
        var first = await ByClientId.For(db)(db, sessionId, clientId, ct);
        return first is null ? null : new StoredLine(Line(tenant, first), outcome.AgentId);
    }

    /// <summary>
    /// PostgreSQL: the activity update and the insert as one statement (data-modifying WITH), so all of it or none, and
    /// a chat ended meanwhile (its row locked by the delete) gets no line. No row: the chat is gone; a row without a
    /// sequence: the client id was already stored (ON CONFLICT, never a unique-violation error).
    /// </summary>
    private static async Task<InsertOutcome?> InsertInOneStatementAsync(DeskDbContext db, ChatMessage m, CancellationToken ct)
    {
        var at = m.At.UtcTicks;
        var rows = await db.Database.SqlQuery<InsertOutcome>(
            $"""
            WITH chat AS (
                UPDATE "Sessions" SET "LastActivityAt" = {at} WHERE "Id" = {m.SessionId} RETURNING "AgentId"),
            line AS (
                INSERT INTO "ChatMessages" ("SessionId", "ClientId", "Sender", "Kind", "AgentName", "Text", "At")
                SELECT {m.SessionId}, {m.ClientId}, {m.Sender}, {m.Kind}, {m.AgentName}, {m.Text}, {at} FROM chat
                ON CONFLICT ("SessionId", "ClientId") DO NOTHING
                RETURNING "Sequence")
            SELECT line."Sequence", chat."AgentId" FROM chat LEFT JOIN line ON TRUE
            """).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// SQLite (no UPDATE inside WITH): the activity update, then the insert, which still checks that the chat exists.
    /// Both run in this process, so the second statement costs no round trip.
    /// </summary>
    private static async Task<InsertOutcome?> InsertAfterTouchAsync(DeskDbContext db, ChatMessage m, CancellationToken ct)
    {
        var at = m.At.UtcTicks;
        var agents = await db.Database.SqlQuery<string?>(
            $"""UPDATE "Sessions" SET "LastActivityAt" = {at} WHERE "Id" = {m.SessionId} RETURNING "AgentId" AS "Value" """).ToListAsync(ct);
        if (agents.Count == 0)
        {
            return null;
        }

        var sequences = await db.Database.SqlQuery<long>(
            $"""
            INSERT INTO "ChatMessages" ("SessionId", "ClientId", "Sender", "Kind", "AgentName", "Text", "At")
            SELECT {m.SessionId}, {m.ClientId}, {m.Sender}, {m.Kind}, {m.AgentName}, {m.Text}, {at}
            WHERE EXISTS (SELECT 1 FROM "Sessions" WHERE "Id" = {m.SessionId})
            ON CONFLICT ("SessionId", "ClientId") DO NOTHING
            RETURNING "Sequence" AS "Value"
            """).ToListAsync(ct);
        return new InsertOutcome { Sequence = sequences.Count == 0 ? null : sequences[0], AgentId = agents[0] };
    }

    /// <summary>What the insert statement answers: the new line's sequence (null when the client id was taken), and the chat's agent.</summary>
    private sealed class InsertOutcome
    {
        public long? Sequence { get; set; }

        public string? AgentId { get; set; }
    }

    /// <summary>An event line the desk adds (joined, transferred, identification).</summary>
    public Task<ChatLine?> AddEventAsync(string tenant, string sessionId, string kind, string? agentName, CancellationToken ct) =>
        AddAsync(tenant, sessionId, EventClientId(), EventSender, kind, agentName, "", ct);

    /// <summary>The conversation after <paramref name="after"/>, in server order.</summary>
    public async Task<List<ChatLine>> LinesAsync(string tenant, string sessionId, long after, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var lines = await db.ChatMessages.AsNoTracking().Where(m => m.SessionId == sessionId && m.Sequence > after).OrderBy(m => m.Sequence).Take(1000).ToListAsync(ct);
        return lines.Select(m => Line(tenant, m)).ToList();
    }

    /// <summary>An identification was asked for after the last result arrived, and none has come since.</summary>
    public async Task<bool> IdentificationPendingAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        var kinds = new[] { ChatKinds.IdentifyRequested, ChatKinds.Identified, ChatKinds.IdentifyFailed };
        var last = await db.ChatMessages.Where(m => m.SessionId == sessionId && kinds.Contains(m.Kind)).OrderByDescending(m => m.Sequence).Select(m => m.Kind).FirstOrDefaultAsync(ct);
        return last == ChatKinds.IdentifyRequested;
    }

    /// <summary>
    /// The sign-in methods to offer the resident (in a chat or a video call) while the agent's request for identification
    /// is open; empty otherwise, and when identification is off.
    /// </summary>
    public async Task<IReadOnlyList<MethodOption>> PendingMethodsAsync(Identification identification, string tenant, string sessionId, string purpose, bool english, CancellationToken ct) =>
        identification.Enabled && await IdentificationPendingAsync(tenant, sessionId, ct) ? await identification.MethodsAsync(tenant, purpose, english, ct) : [];

    /// <summary>Ends a chat: the session (with its result) and every message are deleted at once. False when it was gone.</summary>
    public async Task<bool> EndAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Sessions.Where(s => s.Id == sessionId && s.Channel == Channels.Chat).ExecuteDeleteAsync(ct);
        await db.ChatMessages.Where(m => m.SessionId == sessionId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted > 0;
    }

    /// <summary>Clears a failed result so the resident can try again; a successful result stays (one proof per chat).</summary>
    public async Task ClearResultAsync(string tenant, string sessionId, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ResultToken, (string?)null).SetProperty(s => s.ResultKey, (string?)null).SetProperty(s => s.SubjectPseudonym, (string?)null), ct);
    }

    private ChatMessage Message(string tenant, string sessionId, string clientId, string sender, string kind, string? agentName, string text, DateTimeOffset at) =>
        new() { SessionId = sessionId, ClientId = clientId, Sender = sender, Kind = kind, AgentName = agentName, Text = texts.Protect(tenant, text), At = at };

    private ChatMessage Event(string tenant, string sessionId, string kind, string? agentName, DateTimeOffset at) =>
        Message(tenant, sessionId, EventClientId(), EventSender, kind, agentName, "", at);

    /// <summary>Who says an event line (joined, transferred, handed back…): the desk, each line with an id of its own.</summary>
    private const string EventSender = "desk";

    private static string EventClientId() => EventSender + "-" + Secrets.NewId();

    /// <summary>A stored message as the pages show it: its text decrypted (or the line marked unreadable).</summary>
    private ChatLine Line(string tenant, ChatMessage message) => ChatLine.Of(message, texts.Reveal(tenant, message));

    /// <summary>
    /// The agents who take chats now (<see cref="AgentPresence.TakesChats"/>), as part of the caller's query. Not a data
    /// protection officer, who opens no contact: one just appointed keeps a running lease for up to its length.
    /// </summary>
    private IQueryable<AgentPresence> Available(DeskDbContext db)
    {
        var officers = AgentAuthorization.OfficerIds(db);
        return db.AgentPresence.Where(AgentPresence.TakesChats(time.GetUtcNow() - options.Value.Desk().Chat.PresenceLease))
            .Where(p => !officers.Contains(p.AgentId));
    }

    /// <summary>
    /// Makes chats given to <paramref name="agentId"/> wait for each other, in the caller's transaction: PostgreSQL locks
    /// their presence row (a statement of its own, so the next one reads what the one before committed); SQLite's
    /// transaction already holds the database's one write lock (BEGIN IMMEDIATE).
    /// </summary>
    private static async Task LockChatSlotsAsync(DeskDbContext db, string agentId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "AgentPresence" WHERE "AgentId" = {agentId} FOR UPDATE""", ct);
        }
    }

    private static Task<int> ActiveCountAsync(DeskDbContext db, string agentId, CancellationToken ct) => Held(db, agentId).CountAsync(ct);

    /// <summary>The chats <paramref name="agentId"/> holds now, as part of the caller's query.</summary>
    private static IQueryable<ContactSession> Held(DeskDbContext db, string agentId) =>
        db.Sessions.Where(s => s.Channel == Channels.Chat && s.State == ContactState.Active && s.AgentId == agentId);
}

/// <summary>A stored line, and the agent who held the chat when it was stored (null: nobody yet), to push it to.</summary>
public sealed record StoredLine(ChatLine Line, string? AgentId);

/// <summary>A chat handed back (its agent's account deleted, or their pages gone): the colleague who has it now (null: queued) and the lines it got.</summary>
public sealed record HandedBackChat(string Id, Agent? To, IReadOnlyList<ChatLine> Lines);

public enum TakeOutcome
{
    Taken,
    Gone,
    Away,
    Full,

    /// <summary>"Next from the queue", and no chat waits.</summary>
    Empty,
}
