using System.Diagnostics;

namespace IdContact.Bench;

/// <summary>CPU time of this process and, per backend process, of the PostgreSQL backends serving the bench's databases.</summary>
public sealed record CpuSnapshot(TimeSpan Process, IReadOnlyDictionary<int, double> BackendTicks)
{
    /// <summary>
    /// PostgreSQL CPU between two snapshots, backend by backend: a backend that ended in between is left out (its share
    /// since the first snapshot is unknown) instead of making the sum negative; one that started counts in full.
    /// </summary>
    public TimeSpan PostgresSince(CpuSnapshot before) => TimeSpan.FromSeconds(
        BackendTicks.Sum(b => Math.Max(0, b.Value - before.BackendTicks.GetValueOrDefault(b.Key))) / CpuMeter.TicksPerSecond);
}

/// <summary>
/// CPU time spent by this process (client and server) and by the PostgreSQL backends serving the bench's databases.
/// Unlike wall-clock rates this barely moves when other work shares the machine, so its ratio to the crypto-only cost
/// is the figure to compare between runs. Linux only for PostgreSQL (/proc); elsewhere only the process is counted.
/// </summary>
/// <param name="databaseNames">The bench's own databases (its tenant's and its installation database): backends of
/// other programs on the same server are not counted.</param>
public sealed class CpuMeter(IReadOnlyList<string> databaseNames)
{
    public const double TicksPerSecond = 100; // USER_HZ on Linux

    public CpuSnapshot Now()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSnapshot(self.TotalProcessorTime, databaseNames.Count == 0 ? new Dictionary<int, double>() : Backends());
    }

    private Dictionary<int, double> Backends()
    {
        var ticks = new Dictionary<int, double>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                try
                {
                    // A backend's title names its database: "postgres: user idcontact_bench… 127.0.0.1(…) idle".
                    var title = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (!title.StartsWith("postgres:", StringComparison.Ordinal) || !databaseNames.Any(d => title.Contains($" {d} ", StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks[pid] = double.Parse(fields[11]) + double.Parse(fields[12]); // utime, stime
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The process ended meanwhile, or is not ours to read.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Not Linux: only the process is counted.
        }

        return ticks;
    }
}
