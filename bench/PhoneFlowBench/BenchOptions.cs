namespace IdContact.Bench;

/// <summary>--flows N --concurrency N --warmup N --settle on|off --warmup-max N --provider sqlite|postgres|both --keys rsa|ec --db-tls on|off --live 1000,10000,100000 --live-rate R</summary>
public sealed record BenchOptions(
    int Flows, int Concurrency, int Warmup, IReadOnlyList<string> Providers, IdContact.Protocol.Keys.KeyType Keys,
    IReadOnlyList<int> Live, double? LiveRate, bool DbTls = true, bool Settle = true, int WarmupMax = 30_000)
{
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
            int.Parse(Value("--warmup-max") ?? "30000"));
    }
}
