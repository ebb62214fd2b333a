using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>The whole configuration of one server process (section root). Every setting is documented in docs/operations.md.</summary>
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

    /// <summary>No municipality was configured, so the demo municipalities were filled in (roles add their demo parts).</summary>
    public bool EmbeddedDemo { get; internal set; }

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

    /// <summary>Metrics in Prometheus format at /metrics.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The certificate that encrypts the data-protection key ring at rest (cookies, antiforgery, protected links).</summary>
    public KeyRingOptions DataProtection { get; set; } = new();

    /// <summary>Requests per minute per client address on the public endpoints.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Where generated development keys and embedded data live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Municipalities by URL tag (lower case, e.g. "arnhem").</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    private readonly RoleSettings _roles = new();
    private readonly HashSet<string> _testSigningKeys = [];

    /// <summary>A test auth plugin of this installation signs with this key (SPKI PEM): comm plugins never show its data as proven.</summary>
    public void MarkTestSigningKey(string publicKeyPem) => _testSigningKeys.Add(publicKeyPem.Trim());

    public bool IsTestSigningKey(string publicKeyPem) => _testSigningKeys.Contains(publicKeyPem.Trim());

    /// <summary>A role's own settings (its section of the configuration); the role's project owns the class.</summary>
    public T Settings<T>()
        where T : class, new() => _roles.Get<T>();
}

/// <summary>Settings objects by type: how shared options carry each role's settings without knowing the roles.</summary>
internal sealed class RoleSettings
{
    private readonly Dictionary<Type, object> _settings = [];

    public T Get<T>()
        where T : class, new()
    {
        lock (_settings)
        {
            if (!_settings.TryGetValue(typeof(T), out var value))
            {
                value = new T();
                _settings[typeof(T)] = value;
            }

            return (T)value;
        }
    }
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

    private readonly RoleSettings _roles = new();

    /// <summary>A role's settings for this municipality (e.g. the desk's "Tenants:{tag}:Desk").</summary>
    public T Settings<T>()
        where T : class, new() => _roles.Get<T>();

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
