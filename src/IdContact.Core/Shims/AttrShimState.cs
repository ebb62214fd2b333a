namespace IdContact.Core.Shims;

/// <summary>What the attr-url shim remembers for an auth plugin that only returns results on the redirect.</summary>
public sealed record AttrShimState(string AttrUrl, string Continuation);

/// <summary>What the tel shim's phone page shows: the comm plugin's tel: URL.</summary>
public sealed record TelShimState(string TelUrl);
