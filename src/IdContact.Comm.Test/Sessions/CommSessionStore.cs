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
public sealed class CommSessionStore(IOptions<IdContactOptions> options, TimeProvider time, int maxPerTenant = CommSessionStore.DefaultMaxPerTenant)
{
    /// <summary>A bound on memory per municipality, so one tenant's starts cannot use up another's room.</summary>
    public const int DefaultMaxPerTenant = 5_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Tenant, string Id), CommSession> _sessions = new();
    private readonly ConcurrentDictionary<string, int> _perTenant = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = TimeSpan.FromMinutes(Math.Max(1, options.Value.CommTest().SessionLifetimeMinutes));
    private long _nextSweepTicks;

    /// <summary>A new session with a 128-bit random id, or null when this tenant's part of the store is full.</summary>
    public CommSession? Create(string tenant, string purpose)
    {
        Sweep(force: _perTenant.GetValueOrDefault(tenant) >= maxPerTenant);
        // Counted before the session exists: two racing starts cannot both take the last place.
        if (_perTenant.AddOrUpdate(tenant, 1, (_, n) => n + 1) > maxPerTenant)
        {
            _perTenant.AddOrUpdate(tenant, 0, (_, n) => n - 1);
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

    public void Remove(CommSession session)
    {
        if (_sessions.TryRemove((session.Tenant, session.Id), out _))
        {
            _perTenant.AddOrUpdate(session.Tenant, 0, (_, n) => n - 1);
        }
    }

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
                Remove(session);
            }
        }
    }
}
