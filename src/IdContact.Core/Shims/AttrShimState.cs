namespace IdContact.Core.Shims;

/// <summary>What the attr-url shim remembers for an auth plugin that only returns results on the redirect.</summary>
public sealed record AttrShimState(string AttrUrl, string Continuation);

/// <summary>
/// What the tel shim's phone page shows: the comm plugin's tel: URL; with the comm session's attr_url and method, the
/// page follows the session's state (its id is the resident's own, and the plugin answers only with the state).
/// <paramref name="Tenant"/> binds it to the municipality that made it: the signing secret is the installation's, and at
/// another municipality's address the status would carry that municipality's comm key to this token's attr_url.
/// </summary>
public sealed record TelShimState(string TelUrl, string? AttrUrl = null, string? Comm = null, string? Tenant = null)
{
    /// <summary>The token's state when it was made under <paramref name="tenant"/>; one of another (or an older one without) is none.</summary>
    public TelShimState? For(string tenant) => Tenant == tenant ? this : null;
}
