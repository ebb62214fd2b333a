using IdContact.Hosting;

namespace IdContact.Core;

/// <summary>The core role's settings (section "Core").</summary>
public sealed class CoreOptions
{
    /// <summary>How long a plugin may take to answer a start call.</summary>
    public int PluginTimeoutSeconds { get; set; } = 10;

    /// <summary>Base64 secret (≥ 32 bytes) the core signs shim state and phone-page tokens with; generated when absent.</summary>
    public string? StateSecret { get; set; }

    /// <summary>Lifetime of shim state and phone-page tokens.</summary>
    public int StateLifetimeMinutes { get; set; } = 30;

    /// <summary>Browser origins allowed to call the core (CORS), for municipal pages on another host.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

public static class CoreOptionsExtensions
{
    /// <summary>The core's settings (section "Core").</summary>
    public static CoreOptions Core(this IdContactOptions options) => options.Settings<CoreOptions>();
}
