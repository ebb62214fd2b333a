using System.Diagnostics;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;

namespace IdContact.Bench;

/// <summary>The same-run bound set by cryptography alone: per flow one sign+encrypt (auth plugin) and two
/// decrypt+verify (desk on receipt, desk for the agent page).</summary>
public static class CryptoBound
{
    /// <summary>Prints both bounds; returns the chosen key type's flows/s on one core, by CPU time (this loop is the
    /// only work in the process then), so other load on the machine hardly moves it.</summary>
    public static double Print(BenchOptions options)
    {
        var rsa = Measure(options, KeyType.Rsa, "RSA 2048: RS256 + RSA-OAEP");
        var ec = Measure(options, KeyType.Ec, "EC P-256: ES256 + ECDH-ES");
        Console.WriteLine();
        return options.Keys == KeyType.Rsa ? rsa : ec;
    }

    private static double Measure(BenchOptions options, KeyType type, string label)
    {
        var signer = PrivateKey.Generate(type);
        var desk = PrivateKey.Generate(type);
        var attributes = new Dictionary<string, string> { ["fullname"] = "Jan de Vries", ["bsn"] = "999993653" };
        var count = Math.Max(200, options.Flows / 4);
        for (var i = 0; i < 500; i++)
        {
            // Warm up (JIT tiers, key import caches) outside the timing.
            AuthResultToken.Open(AuthResultToken.Issue(AuthResult.Succeeded(attributes), signer, desk.PublicKey, DateTimeOffset.UtcNow), desk, [signer.PublicKey], DateTimeOffset.UtcNow);
        }

        // The least disturbed of three rounds: the highest bound, so the ratio printed against it is the pessimistic one.
        var perCore = 0.0;
        var wallClock = 0.0;
        using var self = Process.GetCurrentProcess();
        for (var round = 0; round < 3; round++)
        {
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var token = AuthResultToken.Issue(AuthResult.Succeeded(attributes), signer, desk.PublicKey, DateTimeOffset.UtcNow);
                AuthResultToken.Open(token, desk, [signer.PublicKey], DateTimeOffset.UtcNow);
                AuthResultToken.Open(token, desk, [signer.PublicKey], DateTimeOffset.UtcNow);
            }

            self.Refresh();
            perCore = Math.Max(perCore, count / (self.TotalProcessorTime - cpuBefore).TotalSeconds);
            wallClock = Math.Max(wallClock, count / watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"crypto only, {label}, 1 issue + 2 opens per flow: {perCore:F0}/s per core of CPU time (wall clock {wallClock:F0}/s; best of 3 rounds of {count}) → bound ≈ {perCore * Environment.ProcessorCount:F0} flows/s on {Environment.ProcessorCount} cores");
        return perCore;
    }
}
