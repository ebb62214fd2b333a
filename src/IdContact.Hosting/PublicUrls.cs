using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>Builds absolute URLs of this process, so plugin calls and redirects name the right host.</summary>
public sealed class PublicUrls(IOptions<IdContactOptions> options)
{
    public string Base => (options.Value.PublicUrl ?? "http://127.0.0.1:5080").TrimEnd('/');

    public string Tenant(string tenant, string path = "") => $"{Base}/{Uri.EscapeDataString(tenant)}{path}";

    /// <summary>Resolves a configured plugin base URL: "/x" is relative to this server, {tenant} is filled in.</summary>
    public string Resolve(string configured, string tenant)
    {
        var url = configured.Replace("{tenant}", Uri.EscapeDataString(tenant), StringComparison.Ordinal).TrimEnd('/');
        return url.StartsWith('/') ? Base + url : url;
    }
}
