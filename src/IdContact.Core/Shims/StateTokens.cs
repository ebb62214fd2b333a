using System.Text.Json;
using IdContact.Hosting;
using Jose;
using Microsoft.Extensions.Options;

namespace IdContact.Core.Shims;

/// <summary>Short-lived HS256 tokens signed with the core's own secret: shim state and phone-page links.</summary>
public sealed class StateTokens(IOptions<IdContactOptions> options, TimeProvider time)
{
    private readonly byte[] _secret = Convert.FromBase64String(options.Value.Core().StateSecret!);
    private readonly TimeSpan _lifetime = TimeSpan.FromMinutes(options.Value.Core().StateLifetimeMinutes);

    public string Sign<T>(string kind, T payload)
    {
        var exp = time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?> { ["kind"] = kind, ["exp"] = exp, ["data"] = payload };
        return JWT.Encode(JsonSerializer.Serialize(claims), _secret, JwsAlgorithm.HS256);
    }

    /// <summary>The payload, or null when the token is forged, of another kind, malformed or expired.</summary>
    public T? Read<T>(string kind, string? token)
        where T : class
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(JWT.Decode(token, _secret, JwsAlgorithm.HS256));
            var root = claims.RootElement;
            if (root.GetProperty("kind").GetString() != kind || root.GetProperty("exp").GetInt64() <= time.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }

            return root.GetProperty("data").Deserialize<T>();
        }
        catch (Exception e) when (e is JoseException or JsonException or ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
