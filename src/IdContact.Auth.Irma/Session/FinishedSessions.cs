using System.Collections.Concurrent;

namespace IdContact.Auth.Irma.Session;

/// <summary>
/// IRMA sessions whose result this role has delivered. The IRMA server hands out the same result for as long as the
/// session lives and the page link stays valid for <see cref="IrmaSessionLinks.Lifetime"/>: without this record a
/// reload, a back button or a replayed finish link would deliver a second result. Kept in memory per instance, which
/// is enough when a resident's requests reach one instance; the comm plugin refuses a second result as a backstop.
/// </summary>
public sealed class FinishedSessions(TimeProvider time)
{
    /// <summary>A bound on memory; entries older than a link's lifetime are useless and swept first.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _finished = new(StringComparer.Ordinal);

    /// <summary>True for exactly one caller per session: that caller delivers the result.</summary>
    public bool TryClaim(string irmaToken)
    {
        var now = time.GetUtcNow();
        if (_finished.Count >= MaxEntries)
        {
            Sweep(now);
        }

        return _finished.TryAdd(irmaToken, now);
    }

    /// <summary>Gives a claim back when delivery failed, so the resident can try again with the same link.</summary>
    public void Release(string irmaToken) => _finished.TryRemove(irmaToken, out _);

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (token, at) in _finished)
        {
            if (now - at > IrmaSessionLinks.Lifetime)
            {
                _finished.TryRemove(token, out _);
            }
        }
    }
}
