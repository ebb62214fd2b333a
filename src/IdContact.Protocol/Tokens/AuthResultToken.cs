using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Protocol.Keys;
using Jose;

namespace IdContact.Protocol.Tokens;

/// <summary>
/// The auth-result token: a JWS (RS256/ES256) with the result claims, wrapped as
/// <c>{"njwt": jws}</c> in a JWE (RSA-OAEP or ECDH-ES, A128CBC-HS256). See PROTOCOL.md.
/// </summary>
public static class AuthResultToken
{
    public const string Subject = "id-contact-attributes";

    /// <summary>Upper bound on accepted token text; real tokens are a few kilobytes.</summary>
    public const int MaxLength = 64 * 1024;

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    public static string Issue(AuthResult result, PrivateKey signer, PublicKey recipient, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var iat = now.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = Subject,
            ["status"] = result.Status == AuthStatus.Success ? "succes" : "failed",
        };
        if (result.Status == AuthStatus.Success)
        {
            var attributes = new JsonObject();
            foreach (var (tag, value) in result.Attributes)
            {
                attributes[tag] = value;
            }

            claims["attributes"] = attributes;
        }

        if (result.SessionUrl is not null)
        {
            claims["session_url"] = result.SessionUrl;
        }

        claims["iat"] = iat;
        claims["exp"] = iat + (long)(lifetime ?? DefaultLifetime).TotalSeconds;

        var jwsHeader = new Dictionary<string, object> { ["typ"] = "JWT" };
        var jws = signer.Type == KeyType.Rsa
            ? Sign(claims, signer.Rsa(), JwsAlgorithm.RS256, jwsHeader)
            : Sign(claims, signer.Ecdsa(), JwsAlgorithm.ES256, jwsHeader);

        var outer = new JsonObject { ["njwt"] = jws }.ToJsonString();
        var jweHeader = new Dictionary<string, object> { ["typ"] = "JWT", ["cty"] = "JWT" };
        if (recipient.Type == KeyType.Rsa)
        {
            var rsa = recipient.Rsa();
            return JWT.Encode(outer, rsa, JweAlgorithm.RSA_OAEP, JweEncryption.A128CBC_HS256, extraHeaders: jweHeader);
        }

        var ecdh = recipient.Ecdh();
        return JWT.Encode(outer, ecdh, JweAlgorithm.ECDH_ES, JweEncryption.A128CBC_HS256, extraHeaders: jweHeader);
    }

    private static string Sign(JsonObject claims, object key, JwsAlgorithm alg, Dictionary<string, object> header) =>
        JWT.Encode(claims.ToJsonString(), key, alg, extraHeaders: header);

    /// <summary>Decrypts, verifies and checks a token. Never throws for bad input: a refusal says why.</summary>
    public static TokenOpenResult Open(
        string? token,
        PrivateKey decrypter,
        IEnumerable<PublicKey> verifiers,
        DateTimeOffset now,
        bool ignoreExpiry = false) => Open(token, [decrypter], verifiers, now, ignoreExpiry);

    /// <summary>
    /// As <see cref="Open(string?, PrivateKey, IEnumerable{PublicKey}, DateTimeOffset, bool)"/>, trying the decryption
    /// keys in order (the current one first, then those being retired): the JWE names no key, and after a key change
    /// auth plugins not yet updated, and results stored before it, are still encrypted to the old one.
    /// </summary>
    public static TokenOpenResult Open(
        string? token,
        IReadOnlyList<PrivateKey> decrypters,
        IEnumerable<PublicKey> verifiers,
        DateTimeOffset now,
        bool ignoreExpiry = false)
    {
        if (decrypters.Count == 0)
        {
            throw new ArgumentException("At least one decryption key is needed.", nameof(decrypters));
        }

        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return TokenOpenResult.Refused("The token is empty.");
        }

        if (token.Length > MaxLength)
        {
            return TokenOpenResult.Refused($"The token is longer than {MaxLength} characters.");
        }

        if (token.Split('.').Length != 5)
        {
            return TokenOpenResult.Refused("The token is not a compact JWE (five dot-separated parts).");
        }

        var plaintext = Decrypt(token, decrypters, out var refusal, out var decryptedBy);
        if (plaintext is null)
        {
            return TokenOpenResult.Refused(refusal!);
        }

        // The plaintext must be an object; an array or scalar has no "njwt" either.
        var njwt = (ReadJson(plaintext) as JsonObject)?["njwt"];
        if (njwt is not JsonValue njwtValue || !njwtValue.TryGetValue<string>(out var jws))
        {
            return TokenOpenResult.Refused("The decrypted token has no 'njwt' string claim.");
        }

        var payload = Verify(jws, verifiers, out var verifier, out refusal);
        if (payload is null)
        {
            return TokenOpenResult.Refused(refusal!);
        }

        var opened = ReadClaims(payload, now, ignoreExpiry).SignedBy(verifier, ReplayKeys.Of(jws));
        return opened.IsValid ? opened with { Decrypter = decryptedBy } : opened;
    }

    /// <summary>
    /// The first key that decrypts wins. When none does, the refusal is that of the first key whose algorithm the token
    /// uses (a wrong key or a tampered token), else the current key's (the token uses another algorithm).
    /// </summary>
    private static string? Decrypt(string token, IReadOnlyList<PrivateKey> decrypters, out string? refusal, out int decryptedBy)
    {
        string? algorithmRefusal = null;
        string? keyRefusal = null;
        for (decryptedBy = 0; decryptedBy < decrypters.Count; decryptedBy++)
        {
            var plaintext = Decrypt(token, decrypters[decryptedBy], out var why, out var otherAlgorithm);
            if (plaintext is not null)
            {
                refusal = null;
                return plaintext;
            }

            if (otherAlgorithm)
            {
                algorithmRefusal ??= why;
            }
            else
            {
                keyRefusal ??= why;
            }
        }

        decryptedBy = -1;
        refusal = keyRefusal ?? algorithmRefusal;
        return null;
    }

    private static string? Decrypt(string token, PrivateKey decrypter, out string? refusal, out bool otherAlgorithm)
    {
        otherAlgorithm = false;
        refusal = null;
        try
        {
            if (decrypter.Type == KeyType.Rsa)
            {
                var rsa = decrypter.Rsa();
                return JWT.Decode(token, rsa, JweAlgorithm.RSA_OAEP, JweEncryption.A128CBC_HS256);
            }

            var ecdh = decrypter.Ecdh();
            return JWT.Decode(token, ecdh, JweAlgorithm.ECDH_ES, JweEncryption.A128CBC_HS256);
        }
        catch (InvalidAlgorithmException)
        {
            otherAlgorithm = true;
            refusal = decrypter.Type == KeyType.Rsa
                ? "The token is not encrypted with RSA-OAEP and A128CBC-HS256."
                : "The token is not encrypted with ECDH-ES and A128CBC-HS256.";
        }
        catch (Exception e) when (IsBadInput(e))
        {
            refusal = "The token cannot be decrypted with this key (wrong key or tampered token).";
        }

        return null;
    }

    private static string? Verify(string jws, IEnumerable<PublicKey> verifiers, out int verifier, out string? refusal)
    {
        refusal = "The signature does not match any trusted authentication key.";
        verifier = -1;
        string alg;
        try
        {
            var header = JWT.Headers(jws);
            alg = header.TryGetValue("alg", out var a) ? a?.ToString() ?? "" : "";
        }
        catch (Exception e) when (IsBadInput(e))
        {
            refusal = "The signed part of the token is malformed.";
            return null;
        }

        if (alg is not ("RS256" or "ES256"))
        {
            refusal = $"Signature algorithm '{alg}' is not accepted; only RS256 and ES256 are.";
            return null;
        }

        foreach (var key in verifiers)
        {
            verifier++;
            if ((key.Type == KeyType.Rsa) != (alg == "RS256"))
            {
                continue;
            }

            try
            {
                if (key.Type == KeyType.Rsa)
                {
                    var rsa = key.Rsa();
                    return JWT.Decode(jws, rsa, JwsAlgorithm.RS256);
                }

                var ec = key.Ecdsa();
                return JWT.Decode(jws, ec, JwsAlgorithm.ES256);
            }
            catch (Exception e) when (IsBadInput(e))
            {
                // Try the next trusted key.
            }
        }

        return null;
    }

    private static TokenOpenResult ReadClaims(string payload, DateTimeOffset now, bool ignoreExpiry)
    {
        if (ReadJson(payload) is not JsonObject claims)
        {
            return TokenOpenResult.Refused("The signed claims are not a JSON object.");
        }

        if (String(claims, "sub") != Subject)
        {
            return TokenOpenResult.Refused($"The token's 'sub' is not '{Subject}'.");
        }

        if (NumericDates.Seconds(claims["exp"]) is not { } exp)
        {
            return TokenOpenResult.Refused("The token has no numeric 'exp' claim.");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (!ignoreExpiry && now >= expiresAt)
        {
            return TokenOpenResult.Refused("The token has expired.");
        }

        var sessionUrl = String(claims, "session_url");
        switch (String(claims, "status"))
        {
            case "failed":
                return TokenOpenResult.Valid(AuthResult.Failure(sessionUrl), expiresAt);
            case "succes":
                var attributes = ReadAttributes(claims["attributes"]);
                return attributes is null
                    ? TokenOpenResult.Refused("The 'attributes' claim must be an object of strings.")
                    : TokenOpenResult.Valid(AuthResult.Succeeded(attributes, sessionUrl), expiresAt);
            default:
                return TokenOpenResult.Refused("The token's 'status' is neither 'succes' nor 'failed'.");
        }
    }

    private static Dictionary<string, string>? ReadAttributes(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tag, value) in obj)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                return null;
            }

            attributes[tag] = s;
        }

        return attributes;
    }

    private static string? String(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonNode? ReadJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Jose and the crypto stack signal bad input with a handful of exception types; anything else is a bug.
    private static bool IsBadInput(Exception e) =>
        e is JoseException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException
            or IndexOutOfRangeException or InvalidOperationException or JsonException or KeyLoadException;
}
