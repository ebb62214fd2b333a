using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>The whole configuration of one server process (section root). Every setting is documented in README.md.</summary>
public sealed class IdContactOptions
{
    /// <summary>"all" or a comma-separated list of roles: core, auth-test, auth-irma, comm-test, desk.</summary>
    public string Roles { get; set; } = "all";

    /// <summary>
    /// Demo mode: the test sign-in, the fake IRMA server, the exchange simulator, demo agents and generated development
    /// keys run only when this is true. The embedded default (no municipality configured) sets it; production leaves it off.
    /// </summary>
    public bool? Demo { get; set; }

    /// <summary>True only when the configuration (or the embedded default) asked for demo mode.</summary>
    public bool IsDemo => Demo == true;

    /// <summary>Base URL at which browsers and other roles reach this process, e.g. https://idcontact.example.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>When set (e.g. http://127.0.0.1:5081), this process also listens there and serves only a demo municipal
    /// website that includes the widget from the core, on that separate origin. The embedded demo sets it.</summary>
    public string? DemoSiteUrl { get; set; }

    /// <summary>
    /// Origins of foreign ID Contact components (comm plugins elsewhere) that our auth plugins may send results and
    /// residents to, besides this installation's PublicUrl and the origins of the tenants' comm methods.
    /// </summary>
    public List<string> TrustedOrigins { get; set; } = [];

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; no others are.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Requests per minute per client address on the public endpoints.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Where generated development keys and embedded data live.</summary>
    public string DataDirectory { get; set; } = "data";

    public CoreOptions Core { get; set; } = new();

    public AuthTestOptions AuthTest { get; set; } = new();

    public AuthIrmaOptions AuthIrma { get; set; } = new();

    public CommTestOptions CommTest { get; set; } = new();

    public DeskOptions Desk { get; set; } = new();

    /// <summary>Municipalities by URL tag (lower case, e.g. "arnhem").</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

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

public sealed class AuthTestOptions
{
    /// <summary>When set, start_authentication requires "Authorization: Bearer {ApiKey}" (the core's method ApiKey).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Private key the test plugin signs results with (PKCS#8).</summary>
    public KeyConfig? SigningKey { get; set; }

    /// <summary>Public key of the comm plugin results are encrypted to (SPKI).</summary>
    public KeyConfig? EncryptionKey { get; set; }
}

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

public sealed class TenantOptions
{
    /// <summary>Human name, e.g. "Gemeente Arnhem".</summary>
    public string DisplayName { get; set; } = "";

    public List<PurposeOptions> Purposes { get; set; } = [];

    public List<AuthMethodOptions> AuthMethods { get; set; } = [];

    public List<CommMethodOptions> CommMethods { get; set; } = [];

    /// <summary>Public keys (by JWS <c>kid</c>) of comm plugins allowed to start auth-only sessions.</summary>
    public Dictionary<string, KeyConfig> StarterKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The contact desk's settings for this municipality.</summary>
    public TenantDeskOptions Desk { get; set; } = new();

    /// <summary>Name, logo and colours on this municipality's resident and agent pages.</summary>
    public BrandingOptions Branding { get; set; } = new();
}

public sealed class PurposeOptions
{
    public string Tag { get; set; } = "";

    /// <summary>Human label (Dutch), shown to residents and agents.</summary>
    public string Name { get; set; } = "";

    /// <summary>English label; falls back to <see cref="Name"/>.</summary>
    public string? NameEn { get; set; }

    public List<string> Attributes { get; set; } = [];

    /// <summary>Auth method tags, or "*".</summary>
    public List<string> AllowedAuth { get; set; } = [];

    /// <summary>Comm method tags, or "*".</summary>
    public List<string> AllowedComm { get; set; } = [];
}

public class MethodOptions
{
    public string Tag { get; set; } = "";

    /// <summary>Human label (Dutch), shown to residents.</summary>
    public string Name { get; set; } = "";

    /// <summary>English label, served with <c>?lang=en</c>; falls back to <see cref="Name"/>.</summary>
    public string? NameEn { get; set; }

    public string ImagePath { get; set; } = "";

    /// <summary>The plugin's base URL; a path starting with "/" is taken relative to this server's PublicUrl.
    /// "{tenant}" is replaced by the tenant tag.</summary>
    public string Start { get; set; } = "";

    /// <summary>Secret the core sends as "Authorization: Bearer …" on its calls to this plugin; the plugin's role ApiKey.</summary>
    public string? ApiKey { get; set; }
}

public sealed class AuthMethodOptions : MethodOptions
{
    /// <summary>The plugin only delivers results on the redirect: the core shims an attr_url.</summary>
    public bool DisableAttrUrl { get; set; }

    /// <summary>Replace a tel: continuation by the core's phone page.</summary>
    public bool ShimTelUrl { get; set; }
}

public sealed class CommMethodOptions : MethodOptions
{
    /// <summary>The plugin cannot take auth_result at start; the core delivers it afterwards.</summary>
    public bool DisableAttributesAtStart { get; set; }
}
