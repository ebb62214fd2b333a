using Microsoft.Extensions.Options;

namespace IdContact.Hosting.AuthPlugins;

/// <summary>
/// Where our auth plugins may send results (attr_url) and residents (continuation): this installation, the origins of
/// the tenant's comm methods, and the configured trusted origins. Anything else would make the plugin a proxy that
/// posts to internal addresses, or an open redirect.
/// </summary>
public sealed class AllowedTargets(IOptions<IdContactOptions> options, PublicUrls urls)
{
    /// <summary>True for a tel: URL or an http(s) URL on an allowed origin of this tenant.</summary>
    public bool Allows(string tenant, string url, bool allowTel)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme == "tel")
        {
            return allowTel;
        }

        var origin = Origin(uri);
        return origin is not null && Origins(tenant).Contains(origin);
    }

    private HashSet<string> Origins(string tenant)
    {
        var o = options.Value;
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { OriginOf(urls.Base) };
        origins.UnionWith(o.TrustedOrigins.Select(OriginOf));
        if (o.Tenants.TryGetValue(tenant, out var t))
        {
            origins.UnionWith(t.CommMethods.Select(m => OriginOf(urls.Resolve(m.Start, tenant))));
        }

        origins.Remove("");
        return origins;
    }

    private static string OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Origin(uri) ?? "" : "";

    /// <summary>scheme://host:port, with the port always spelled out so "https://a" and "https://a:443" match.</summary>
    private static string? Origin(Uri uri) =>
        uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}" : null;
}
