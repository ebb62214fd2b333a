using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Agents;

/// <summary>One channel's queue: how many wait (counted up to <see cref="ContactQueue.Cap"/> + 1) and since when the first.</summary>
public sealed record QueueLine(int Count, DateTimeOffset? Oldest)
{
    public static readonly QueueLine Empty = new(0, null);

    public bool MoreThanCounted => Count > ContactQueue.Cap;
}

/// <summary>The queue on the agent's overview: calls and chats nobody holds yet, in the order they arrived.</summary>
public sealed record QueueSummary(QueueLine Calls, QueueLine Chats)
{
    public bool IsEmpty => Calls.Count == 0 && Chats.Count == 0;
}

/// <summary>
/// The queue of calls and chats nobody holds, first come first served: the overview lists contacts newest first, so the
/// queue says who waits longest and "next" takes that one. A chat's place shown to the resident counts the same queue.
/// Both read the partial index <see cref="DeskDbContext.QueueIndex"/>, which holds only the queue.
/// </summary>
public static class ContactQueue
{
    /// <summary>The panel counts this many per channel: past it, "more than", however long the queue.</summary>
    public const int Cap = 100;

    private sealed class Head
    {
        public string Channel { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    // One round trip for both channels on every list refresh; each half reads at most Cap + 1 entries of the queue index.
    // (A queued phone contact always has its call: only the exchange's match queues one.)
    private static readonly PerModel<Func<DeskDbContext, IAsyncEnumerable<Head>>> Heads =
        new(() => EF.CompileAsyncQuery((DeskDbContext db) =>
            db.Sessions.Where(s => s.State == ContactState.Queued && s.AgentId == null && s.Channel == Channels.Phone)
                .OrderBy(s => s.CreatedAt).Take(Cap + 1).Select(s => new Head { Channel = s.Channel, CreatedAt = s.CreatedAt })
                .Concat(db.Sessions.Where(s => s.State == ContactState.Queued && s.AgentId == null && s.Channel == Channels.Chat)
                    .OrderBy(s => s.CreatedAt).Take(Cap + 1).Select(s => new Head { Channel = s.Channel, CreatedAt = s.CreatedAt }))));

    private static readonly PerModel<Func<DeskDbContext, string, CancellationToken, Task<string?>>> First =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string channel, CancellationToken ct) =>
            db.Sessions.Where(s => s.State == ContactState.Queued && s.AgentId == null && s.Channel == channel)
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Select(s => s.Id).FirstOrDefault()));

    public static async Task<QueueSummary> SummaryAsync(DeskDbContext db, CancellationToken ct)
    {
        var heads = await Heads.For(db)(db).ToListAsync(ct);
        return new QueueSummary(LineOf(heads, Channels.Phone), LineOf(heads, Channels.Chat));
    }

    /// <summary>The session id of the call or chat that waits longest, or null when none waits.</summary>
    public static Task<string?> FirstAsync(DeskDbContext db, string channel, CancellationToken ct) => First.For(db)(db, channel, ct);

    private static QueueLine LineOf(List<Head> heads, string channel)
    {
        var waiting = heads.Where(h => h.Channel == channel).Select(h => h.CreatedAt).ToList();
        return waiting.Count == 0 ? QueueLine.Empty : new QueueLine(waiting.Count, waiting.Min());
    }
}
