namespace IdContact.Bench;

/// <summary>--flows N --concurrency N --warmup N --settle on|off --warmup-max N --open-warmup on|off --provider sqlite|postgres|both --keys rsa|ec --db-tls on|off --db-socket on|off|DIR --live 1000,10000,100000 --live-rate R --soak MINUTES --soak-flows R --soak-chats R</summary>
public sealed record BenchOptions(
    int Flows, int Concurrency, int Warmup, IReadOnlyList<string> Providers, IdContact.Protocol.Keys.KeyType Keys,
    IReadOnlyList<int> Live, double? LiveRate, bool DbTls = true, bool Settle = true, int WarmupMax = 30_000, string? DbSocket = null, bool OpenWarmup = true,
    double? SoakMinutes = null, double SoakFlowsPerSecond = 10, double SoakChatsPerSecond = 2)
{
    /// <summary>How the bench reaches PostgreSQL, for the header and every CPU line.</summary>
    public string DbTransport => DbSocket is not null ? $"over a Unix socket ({DbSocket})" : DbTls ? "over TLS" : "without TLS";

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var provider = Value("--provider") ?? "both";
        return new BenchOptions(
            int.Parse(Value("--flows") ?? "2000"),
            int.Parse(Value("--concurrency") ?? "16"),
            // Long enough for tiered compilation to reach optimised code under load on two cores.
            int.Parse(Value("--warmup") ?? "1500"),
            provider == "both" ? ["Sqlite", "Postgres"] : [provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite"],
            (Value("--keys") ?? "rsa").Equals("ec", StringComparison.OrdinalIgnoreCase) ? IdContact.Protocol.Keys.KeyType.Ec : IdContact.Protocol.Keys.KeyType.Rsa,
            (Value("--live") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList(),
            Value("--live-rate") is { } rate ? double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) : null,
            // TLS to PostgreSQL (required, as the test PostgreSQL offers it) or none: a database on loopback or a Unix
            // socket without TLS is a legitimate deployment. Figures always say which one they are.
            !(Value("--db-tls") ?? "on").Equals("off", StringComparison.OrdinalIgnoreCase),
            // After --warmup, go on until the JIT is quiet (steady state), at most --warmup-max flows in all.
            !(Value("--settle") ?? "on").Equals("off", StringComparison.OrdinalIgnoreCase),
            int.Parse(Value("--warmup-max") ?? "30000"),
            // PostgreSQL over a Unix domain socket (a database on the same host) instead of loopback TCP: the socket's
            // directory, "on" for /var/run/postgresql; always without TLS (PostgreSQL offers none on a socket).
            (Value("--db-socket") ?? "off") switch
            {
                var s when s.Equals("off", StringComparison.OrdinalIgnoreCase) => null,
                var s when s.Equals("on", StringComparison.OrdinalIgnoreCase) => "/var/run/postgresql",
                var s => s,
            },
            // Before the open loop is measured, a shorter one unmeasured: its own path (the agent's list fetch on every
            // push, the hub's pushes) runs nowhere in the closed loop's warm-up.
            !(Value("--open-warmup") ?? "on").Equals("off", StringComparison.OrdinalIgnoreCase),
            // A long run at a moderate rate instead of the passes above (Soak.cs): what grows with traffic.
            Value("--soak") is { } soak ? double.Parse(soak, System.Globalization.CultureInfo.InvariantCulture) : null,
            double.Parse(Value("--soak-flows") ?? "10", System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Value("--soak-chats") ?? "2", System.Globalization.CultureInfo.InvariantCulture));
    }
}
