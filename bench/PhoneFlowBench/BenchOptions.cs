namespace IdContact.Bench;

/// <summary>--flows N --concurrency N --warmup N --provider sqlite|postgres|both --keys rsa|ec</summary>
public sealed record BenchOptions(int Flows, int Concurrency, int Warmup, IReadOnlyList<string> Providers, IdContact.Protocol.Keys.KeyType Keys)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var provider = Value("--provider") ?? "both";
        return new BenchOptions(
            int.Parse(Value("--flows") ?? "2000"),
            int.Parse(Value("--concurrency") ?? "32"),
            int.Parse(Value("--warmup") ?? "200"),
            provider == "both" ? ["Sqlite", "Postgres"] : [provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite"],
            (Value("--keys") ?? "rsa").Equals("ec", StringComparison.OrdinalIgnoreCase) ? IdContact.Protocol.Keys.KeyType.Ec : IdContact.Protocol.Keys.KeyType.Rsa);
    }
}
