using System.Collections.Concurrent;

namespace IdContact.Auth.Irma.Session;

/// <summary>
/// IRMA sessions whose result this role has delivered. The IRMA server hands out the same result for as long as the
/// session lives and the page link stays valid for <see cref="IrmaSessionLinks.Lifetime"/>: without this record a
/// reload, a back button or a replayed finish link would deliver a second result. Kept in memory per instance, which
/// is enough when a resident's requests reach one instance; the comm plugin refuses a second result as a backstop.
/// </summary>
public sealed class FinishedSessions(TimeProvider time, int maxPerTenant = FinishedSessions.DefaultMaxPerTenant)
{
    /// <summary>A bound on memory per municipality, so one tenant's traffic cannot crowd out another's records.</summary>
    public const int DefaultMaxPerTenant = 20_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Finished>> _byTenant = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many records a tenant holds now.</summary>
    public int Count(string tenant) => _byTenant.TryGetValue(tenant, out var finished) ? finished.Count : 0;

    /// <summary>True for exactly one caller per session: that caller delivers the result.</summary>
    /// <param name="reason">
    /// Why the result is a failure, or null when it carries details: a later visit says how it ended, without keeping
    /// any of the details.
    /// </param>
    public bool TryClaim(string tenant, string irmaToken, FailureReason? reason = null)
    {
        var finished = _byTenant.GetOrAdd(tenant, _ => new(StringComparer.Ordinal));
        var now = time.GetUtcNow();
        if (finished.Count >= maxPerTenant)
        {
            MakeRoom(finished, now);
        }

        return finished.TryAdd(irmaToken, new(now, reason));
    }

    /// <summary>Null while the session is not finished here; else how it ended.</summary>
    public Ending? Ended(string tenant, string irmaToken) =>
        _byTenant.TryGetValue(tenant, out var finished) && finished.TryGetValue(irmaToken, out var f) ? new(f.Reason) : null;

    /// <summary>Gives a claim back when delivery failed, so the resident can try again with the same link.</summary>
    public void Release(string tenant, string irmaToken)
    {
        if (_byTenant.TryGetValue(tenant, out var finished))
        {
            finished.TryRemove(irmaToken, out _);
        }
    }

    /// <summary>
    /// Drops records older than a link's lifetime; if that frees too little, the oldest tenth goes (its links may still
    /// work, and then the comm plugin's one-result rule refuses the second delivery).
    /// </summary>
    private void MakeRoom(ConcurrentDictionary<string, Finished> finished, DateTimeOffset now)
    {
        lock (finished)
        {
            foreach (var (token, at) in finished.Where(f => now - f.Value.At > IrmaSessionLinks.Lifetime))
            {
                finished.TryRemove(token, out _);
            }

            if (finished.Count >= maxPerTenant)
            {
                foreach (var (token, _) in finished.OrderBy(f => f.Value.At).Take(Math.Max(1, finished.Count - (maxPerTenant * 9 / 10))))
                {
                    finished.TryRemove(token, out _);
                }
            }
        }
    }

    private sealed record Finished(DateTimeOffset At, FailureReason? Reason);
}

/// <summary>How a finished session ended: details passed on, or the reason it failed (never an attribute value).</summary>
public sealed record Ending(FailureReason? Reason)
{
    public bool Shared => Reason is null;
}
