using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Auth.Test;

/// <summary>The test auth role's settings (section "AuthTest").</summary>
public sealed class AuthTestOptions
{
    /// <summary>When set, start_authentication requires "Authorization: Bearer {ApiKey}" (the core's method ApiKey).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Private key the test plugin signs results with (PKCS#8).</summary>
    public KeyConfig? SigningKey { get; set; }

    /// <summary>Public key of the comm plugin results are encrypted to (SPKI).</summary>
    public KeyConfig? EncryptionKey { get; set; }
}

public static class AuthTestOptionsExtensions
{
    /// <summary>The test auth role's settings (section "AuthTest").</summary>
    public static AuthTestOptions AuthTest(this IdContactOptions options) => options.Settings<AuthTestOptions>();
}
