using System.Diagnostics;

namespace IdContact.Bench;

/// <summary>
/// CPU time spent by this process (client and server) and by the PostgreSQL backends serving the bench's databases.
/// Unlike wall-clock rates this barely moves when other work shares the machine, so its ratio to the crypto-only cost
/// is the figure to compare between runs. Linux only for PostgreSQL (/proc); elsewhere only the process is counted.
/// </summary>
public sealed class CpuMeter(string? databaseName)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public (TimeSpan Process, TimeSpan Postgres) Now()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, databaseName is null ? TimeSpan.Zero : PostgresTime(databaseName));
    }

    private static TimeSpan PostgresTime(string database)
    {
        double ticks = 0;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    // A backend's title names its database: "postgres: user idcontact_bench… 127.0.0.1(…) idle".
                    var title = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (!title.StartsWith("postgres:", StringComparison.Ordinal)
                        || !(title.Contains($" {database} ", StringComparison.Ordinal) || title.Contains(" idcontact__installation ", StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += double.Parse(fields[11]) + double.Parse(fields[12]); // utime, stime
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The process ended meanwhile, or is not ours to read.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
