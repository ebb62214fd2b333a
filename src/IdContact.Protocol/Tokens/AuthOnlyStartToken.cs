using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using Jose;

namespace IdContact.Protocol.Tokens;

/// <summary>
/// The signed request of an auth-only start (<c>POST /start</c>, <c>application/jwt</c>): a compact JWS whose
/// header <c>kid</c> names a starter key and whose payload carries the <c>request</c> claim.
/// </summary>
public static class AuthOnlyStartToken
{
    public static string Create(AuthOnlyRequest request, PrivateKey key, string kid, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var iat = now.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["request"] = JsonSerializer.SerializeToNode(request),
            ["iat"] = iat,
            ["exp"] = iat + (long)(lifetime ?? TimeSpan.FromMinutes(5)).TotalSeconds,
        };
        var header = new Dictionary<string, object> { ["kid"] = kid, ["typ"] = "JWT" };
        var signer = key.SigningKey();
        return JWT.Encode(claims.ToJsonString(), signer, key.Type == KeyType.Rsa ? JwsAlgorithm.RS256 : JwsAlgorithm.ES256, extraHeaders: header);
    }

    /// <summary>Verifies the JWS against the key its <c>kid</c> names. Never throws for bad input.</summary>
    public static bool TryVerify(
        string? jws,
        Func<string, PublicKey?> findKey,
        DateTimeOffset now,
        out AuthOnlyRequest? request,
        out string refusal)
    {
        request = null;
        refusal = "";
        if (string.IsNullOrWhiteSpace(jws) || jws.Length > AuthResultToken.MaxLength || jws.Trim().Split('.').Length != 3)
        {
            refusal = "The body is not a compact JWS.";
            return false;
        }

        jws = jws.Trim();
        string? kid, alg;
        try
        {
            var header = JWT.Headers(jws);
            kid = header.TryGetValue("kid", out var k) ? k?.ToString() : null;
            alg = header.TryGetValue("alg", out var a) ? a?.ToString() : null;
        }
        catch (Exception e) when (JoseErrors.IsBadInput(e))
        {
            refusal = "The JWS header is malformed.";
            return false;
        }

        var key = kid is null ? null : findKey(kid);
        if (key is null)
        {
            refusal = "The JWS 'kid' does not name a registered starter key.";
            return false;
        }

        var expected = key.Type == KeyType.Rsa ? "RS256" : "ES256";
        if (alg != expected)
        {
            refusal = $"The JWS algorithm must be {expected} for this key.";
            return false;
        }

        string payload;
        try
        {
            var verifier = key.VerificationKey();
            payload = JWT.Decode(jws, verifier, key.Type == KeyType.Rsa ? JwsAlgorithm.RS256 : JwsAlgorithm.ES256);
        }
        catch (Exception e) when (JoseErrors.IsBadInput(e))
        {
            refusal = "The JWS signature is not valid for the starter key.";
            return false;
        }

        return ReadRequest(payload, now, out request, out refusal);
    }

    private static bool ReadRequest(string payload, DateTimeOffset now, out AuthOnlyRequest? request, out string refusal)
    {
        request = null;
        refusal = "";
        try
        {
            if (JsonNode.Parse(payload) is not JsonObject claims)
            {
                refusal = "The JWS payload is not a JSON object.";
                return false;
            }

            if (claims["exp"] is not null && (NumericDates.Seconds(claims["exp"]) is not { } expSeconds || now.ToUnixTimeSeconds() >= expSeconds))
            {
                refusal = "The start request has expired, or its 'exp' is not a number.";
                return false;
            }

            request = claims["request"]?.Deserialize<AuthOnlyRequest>();
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || string.IsNullOrEmpty(request.Purpose) || string.IsNullOrEmpty(request.AuthMethod) || string.IsNullOrEmpty(request.CommUrl))
        {
            refusal = "The 'request' claim must have purpose, auth_method and comm_url.";
            request = null;
            return false;
        }

        return true;
    }
}
