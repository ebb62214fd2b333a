using System.Text.Json.Serialization;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Auth.Test.Session;

/// <summary>The role keeps no server state: the checked request travels in the page link (<c>?s=</c>) and back in the form.</summary>
public sealed class SessionLinks(IDataProtectionProvider provider, PublicUrls urls)
{
    public const string Purpose = "IdContact.AuthTest.Session";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ProtectedLink<LinkState> _links = new(provider, Purpose, Lifetime);

    /// <summary>The absolute URL of the tester's page for this request, or null when it would be too long for a link.</summary>
    public string? PageUrl(string tenant, AuthenticationRequest request)
    {
        var s = _links.Protect(new LinkState(tenant, request.Attributes, request.Continuation, request.AttrUrl));
        return s is null ? null : PagePath(tenant) + "?s=" + s;
    }

    public string PagePath(string tenant) => urls.Tenant(tenant, "/auth-test/session");

    /// <summary>The request behind <paramref name="s"/>, or null when it is missing, tampered with, expired or for another tenant.</summary>
    public AuthenticationRequest? Read(string tenant, string? s)
    {
        var state = _links.Read(s);
        if (state is null || state.Tenant != tenant || state.Attributes is not { Count: > 0 } || string.IsNullOrEmpty(state.Continuation))
        {
            return null;
        }

        return new AuthenticationRequest(state.Attributes, state.Continuation, state.AttrUrl);
    }

    public sealed record LinkState(
        [property: JsonPropertyName("t")] string Tenant,
        [property: JsonPropertyName("a")] IReadOnlyList<string> Attributes,
        [property: JsonPropertyName("c")] string Continuation,
        [property: JsonPropertyName("u")] string? AttrUrl);
}
