using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Comm.Test;

/// <summary>The test comm role's settings (section "CommTest").</summary>
public sealed class CommTestOptions
{
    /// <summary>When set, start_communication requires "Authorization: Bearer {ApiKey}".</summary>
    public string? ApiKey { get; set; }

    /// <summary>Private key the test comm plugin decrypts results with (PKCS#8).</summary>
    public KeyConfig? DecryptionKey { get; set; }

    /// <summary>Public keys of the auth plugins whose signatures are trusted (SPKI).</summary>
    public List<KeyConfig> VerificationKeys { get; set; } = [];

    /// <summary>Minutes a test session and its result are kept.</summary>
    public int SessionLifetimeMinutes { get; set; } = 30;
}

public static class CommTestOptionsExtensions
{
    /// <summary>The test comm role's settings (section "CommTest").</summary>
    public static CommTestOptions CommTest(this IdContactOptions options) => options.Settings<CommTestOptions>();
}
