using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Comm.Test.Sessions;

/// <summary>
/// Sessions of the test comm plugin. They are kept in memory by design: this plugin is a testing and demo tool,
/// so its sessions vanish on restart and are not shared between instances. A real comm plugin (the desk) keeps
/// them in its database, encrypted. Entries expire <c>CommTest:SessionLifetimeMinutes</c> after they are created;
/// expired ones are removed as the store is used.
/// </summary>
public sealed class CommSessionStore(IOptions<IdContactOptions> options, TimeProvider time)
{
    /// <summary>A bound on memory: starts are unauthenticated.</summary>
    public const int MaxSessions = 10_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Tenant, string Id), CommSession> _sessions = new();
    private readonly TimeSpan _lifetime = TimeSpan.FromMinutes(Math.Max(1, options.Value.CommTest.SessionLifetimeMinutes));
    private long _nextSweepTicks;

    /// <summary>A new session with a 128-bit random id, or null when the store is full.</summary>
    public CommSession? Create(string tenant, string purpose)
    {
        Sweep(force: _sessions.Count >= MaxSessions);
        if (_sessions.Count >= MaxSessions)
        {
            return null;
        }

        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var session = new CommSession(tenant, id, purpose, time.GetUtcNow() + _lifetime);
        _sessions[(tenant, id)] = session;
        return session;
    }

    /// <summary>The live session, or null when it never existed, has expired or belongs to another tenant.</summary>
    public CommSession? Find(string tenant, string id)
    {
        Sweep(force: false);
        return _sessions.TryGetValue((tenant, id), out var session) && session.ExpiresAt > time.GetUtcNow() ? session : null;
    }

    public void Remove(CommSession session) => _sessions.TryRemove((session.Tenant, session.Id), out _);

    private void Sweep(bool force)
    {
        var now = time.GetUtcNow();
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (!force && now.UtcTicks < next)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (key, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }
}
