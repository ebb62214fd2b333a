using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using IdContact.Auth.Test.Start;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Auth.Test.Session;

/// <summary>
/// The role keeps no server state: the checked request travels, encrypted, authenticated and time-limited by
/// ASP.NET Core Data Protection, in the page link (<c>?s=</c>) and back in the form.
/// </summary>
public sealed class SessionLinks(IDataProtectionProvider provider, PublicUrls urls)
{
    public const string Purpose = "IdContact.AuthTest.Session";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Kestrel refuses request lines over 8 KiB; leave room for the method, ?lang= and the HTTP version.</summary>
    public const int MaxLinkLength = 7 * 1024;

    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>The absolute URL of the tester's page for this request, or null when it would be too long for a link.</summary>
    public string? PageUrl(string tenant, AuthenticationRequest request)
    {
        var state = new LinkState(tenant, request.Attributes, request.Continuation, request.AttrUrl);
        var s = _protector.Protect(JsonSerializer.Serialize(state), Lifetime);
        var url = PagePath(tenant) + "?s=" + s;
        return url.Length > MaxLinkLength ? null : url;
    }

    public string PagePath(string tenant) => urls.Tenant(tenant, "/auth-test/session");

    /// <summary>The request behind <paramref name="s"/>, or null when it is missing, tampered with, expired or for another tenant.</summary>
    public AuthenticationRequest? Read(string tenant, string? s)
    {
        if (string.IsNullOrEmpty(s) || s.Length > MaxLinkLength)
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<LinkState>(_protector.Unprotect(s, out _));
            if (state is null || state.Tenant != tenant || state.Attributes is not { Count: > 0 } || string.IsNullOrEmpty(state.Continuation))
            {
                return null;
            }

            return new AuthenticationRequest(state.Attributes, state.Continuation, state.AttrUrl);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record LinkState(
        [property: JsonPropertyName("t")] string Tenant,
        [property: JsonPropertyName("a")] IReadOnlyList<string> Attributes,
        [property: JsonPropertyName("c")] string Continuation,
        [property: JsonPropertyName("u")] string? AttrUrl);
}
