using System.Collections.Concurrent;

namespace IdContact.Desk.Exchange.Simulator;

/// <summary>The demo's telephone exchange: remembers calls and where agents had them routed. In memory, demo only.</summary>
public sealed class SimulatedExchange
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _log = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string tenant, string line)
    {
        var log = _log.GetOrAdd(tenant, _ => new ConcurrentQueue<string>());
        log.Enqueue(line);
        while (log.Count > 50 && log.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<string> Log(string tenant) =>
        _log.TryGetValue(tenant, out var log) ? [.. log.Reverse()] : [];
}
