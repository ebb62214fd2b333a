using System.Text.Json.Serialization;
using IdContact.Auth.Irma.Irma;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Auth.Irma.Session;

/// <summary>What the resident's page link carries: the checked request and the IRMA session it started.</summary>
public sealed record IrmaSessionState(
    [property: JsonPropertyName("t")] string Tenant,
    [property: JsonPropertyName("a")] IReadOnlyList<string> Attributes,
    [property: JsonPropertyName("c")] string Continuation,
    [property: JsonPropertyName("u")] string? AttrUrl,
    [property: JsonPropertyName("k")] string IrmaToken,
    [property: JsonPropertyName("p")] SessionPointer Pointer);

/// <summary>
/// The role keeps no session store of its own: the state travels protected in <c>?s=</c>. The IRMA session token in it
/// is a bearer secret for the session's result, which is why the link is encrypted and not merely signed.
/// </summary>
public sealed class IrmaSessionLinks(IDataProtectionProvider provider, PublicUrls urls)
{
    public const string Purpose = "IdContact.AuthIrma.Session";

    /// <summary>Longer than an IRMA session lives (5 minutes without activity), so the link outlives every outcome.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ProtectedLink<IrmaSessionState> _links = new(provider, Purpose, Lifetime);

    /// <summary>The protected state text, or null when it would be too long for a link.</summary>
    public string? Protect(IrmaSessionState state) => _links.Protect(state);

    public string PageUrl(string tenant, string s) => urls.Tenant(tenant, "/auth-irma/session?s=" + s);

    /// <summary>The state behind <paramref name="s"/>, or null when it is missing, tampered with, expired or for another tenant.</summary>
    public IrmaSessionState? Read(string tenant, string? s)
    {
        var state = _links.Read(s);
        return state is null || state.Tenant != tenant || state.Attributes is not { Count: > 0 }
            || string.IsNullOrEmpty(state.Continuation) || string.IsNullOrEmpty(state.IrmaToken) || state.Pointer is null
            ? null
            : state;
    }
}
