using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>One entry of RTCConfiguration.iceServers, as the browser takes it.</summary>
public sealed record IceServer(
    [property: JsonPropertyName("urls")] IReadOnlyList<string> Urls,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
    [property: JsonPropertyName("credential"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Credential = null);

/// <summary>
/// The ICE servers a call's browsers get (Desk:Video). TURN credentials follow coturn's REST scheme (use-auth-secret):
/// username = "&lt;expiry unix time&gt;:&lt;random id&gt;", credential = base64(HMAC-SHA1(static-auth-secret, username)),
/// so coturn checks them without asking the desk, and they stop working at the expiry.
/// </summary>
public sealed class IceServers(IOptions<IdContactOptions> options, TimeProvider time)
{
    public IReadOnlyList<IceServer> Current()
    {
        var call = options.Value.Desk().Video;
        var servers = new List<IceServer>();
        if (call.StunUrls.Count > 0)
        {
            servers.Add(new IceServer(call.StunUrls));
        }

        if (call.TurnUrls.Count > 0 && call.TurnSecret is { } secret)
        {
            var (username, credential) = TurnCredential(secret, time.GetUtcNow().AddMinutes(call.TurnCredentialMinutes));
            servers.Add(new IceServer(call.TurnUrls, username, credential));
        }

        return servers;
    }

    /// <summary>A credential valid until <paramref name="expiry"/>; the id is random, never a session id or a name.</summary>
    public static (string Username, string Credential) TurnCredential(string secret, DateTimeOffset expiry)
    {
        var username = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ":" + Secrets.NewId(9);
        return (username, Sign(secret, username));
    }

    /// <summary>What coturn does with a credential: the signature matches and the expiry has not passed.</summary>
    public static bool Verify(string secret, string username, string credential, DateTimeOffset now)
    {
        var colon = username.IndexOf(':', StringComparison.Ordinal);
        var expiry = colon > 0 && long.TryParse(username.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
        return expiry > now.ToUnixTimeSeconds()
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, username)), Encoding.ASCII.GetBytes(credential));
    }

    private static string Sign(string secret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
}
