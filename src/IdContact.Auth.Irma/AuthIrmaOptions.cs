using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Auth.Irma;

/// <summary>The IRMA/Yivi auth role's settings (section "AuthIrma").</summary>
public sealed class AuthIrmaOptions
{
    /// <summary>Base URL of the IRMA server's requestor API, e.g. https://irma.example.nl (the role calls {ServerUrl}/session).</summary>
    public string? ServerUrl { get; set; }

    /// <summary>The requestor token the IRMA server knows this role by, sent as the Authorization header. A secret.</summary>
    public string? RequestorToken { get; set; }

    /// <summary>When set, start_authentication requires "Authorization: Bearer {ApiKey}" (the core's method ApiKey).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Private key the role signs results with (PKCS#8).</summary>
    public KeyConfig? SigningKey { get; set; }

    /// <summary>Public key of the comm plugin results are encrypted to (SPKI).</summary>
    public KeyConfig? EncryptionKey { get; set; }

    /// <summary>Attribute tag → IRMA attribute ids, any one of which proves the tag (alternatives).</summary>
    public Dictionary<string, List<string>> Attributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Serve a fake IRMA server at /irma-fake whose outcomes a demo user or a test chooses. Never in production.</summary>
    public bool UseFakeServer { get; set; }

    /// <summary>How long one call to the IRMA server may take.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>True when any setting names an IRMA server: with "Roles": "all" the role only runs then.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(ServerUrl) || UseFakeServer;
}

public static class AuthIrmaOptionsExtensions
{
    /// <summary>The IRMA/Yivi role's settings (section "AuthIrma").</summary>
    public static AuthIrmaOptions AuthIrma(this IdContactOptions options) => options.Settings<AuthIrmaOptions>();
}
