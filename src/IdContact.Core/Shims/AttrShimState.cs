namespace IdContact.Core.Shims;

/// <summary>What the attr-url shim remembers for an auth plugin that only returns results on the redirect.</summary>
public sealed record AttrShimState(string AttrUrl, string Continuation);

/// <summary>
/// What the tel shim's phone page shows: the comm plugin's tel: URL; with the comm session's attr_url and method, the
/// page follows the session's state (its id is the resident's own, and the plugin answers only with the state).
/// </summary>
public sealed record TelShimState(string TelUrl, string? AttrUrl = null, string? Comm = null);
