using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace IdContact.Auth.Irma.Fake;

/// <summary>The fake IRMA server's sessions, in memory, bounded in number and age.</summary>
public sealed class FakeSessions(TimeProvider time)
{
    public const int MaxSessions = 1000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, FakeSession> _byRequestor = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeSession> _byClient = new(StringComparer.Ordinal);

    public int Count => _byRequestor.Count;

    public TimeProvider Time => time;

    public FakeSession Create(IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> disclose)
    {
        var now = time.GetUtcNow();
        Evict(now);
        var session = new FakeSession(NewToken(), NewToken(), disclose, now);
        _byRequestor[session.RequestorToken] = session;
        _byClient[session.ClientToken] = session;
        return session;
    }

    public FakeSession? ByRequestorToken(string token) => Live(_byRequestor.GetValueOrDefault(token));

    public FakeSession? ByClientToken(string token) => Live(_byClient.GetValueOrDefault(token));

    private FakeSession? Live(FakeSession? session) =>
        session is not null && time.GetUtcNow() - session.Created <= MaxAge ? session : null;

    private void Evict(DateTimeOffset now)
    {
        var expired = _byRequestor.Values.Where(s => now - s.Created > MaxAge);
        var overflow = _byRequestor.Count >= MaxSessions
            ? _byRequestor.Values.OrderBy(s => s.Created).Take(_byRequestor.Count - MaxSessions + 1)
            : [];
        foreach (var session in expired.Concat(overflow).ToList())
        {
            _byRequestor.TryRemove(session.RequestorToken, out _);
            _byClient.TryRemove(session.ClientToken, out _);
        }
    }

    // IRMA tokens are 20 alphanumerics; URL-safe random text of similar strength does the same job.
    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
