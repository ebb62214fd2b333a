using System.Text;
using System.Text.Json;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Jose;

namespace IdContact.Protocol.Tests;

public class TokenTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    private static readonly Dictionary<string, string> Attributes = new() { ["fullname"] = "Jan de Vries", ["bsn"] = "999993653" };

    public static TheoryData<KeyType, KeyType> KeyPairs => new()
    {
        { KeyType.Rsa, KeyType.Rsa },
        { KeyType.Ec, KeyType.Ec },
        { KeyType.Rsa, KeyType.Ec },
        { KeyType.Ec, KeyType.Rsa },
    };

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void Issued_token_opens_with_its_attributes_and_session_url(KeyType signType, KeyType encryptType)
    {
        var (signer, recipient) = (PrivateKey.Generate(signType), PrivateKey.Generate(encryptType));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes, "https://s.example/1"), signer, recipient.PublicKey, Now);

        var opened = AuthResultToken.Open(token, recipient, [PrivateKey.Generate(signType).PublicKey, signer.PublicKey], Now.AddMinutes(4));
        Assert.True(opened.IsValid, opened.Refusal);
        Assert.Equal(AuthStatus.Success, opened.Result.Status);
        Assert.Equal(Attributes, opened.Result.Attributes);
        Assert.Equal("https://s.example/1", opened.Result.SessionUrl);
        Assert.Equal(Now.AddMinutes(5), opened.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void Failed_result_opens_as_failed_without_attributes(KeyType signType, KeyType encryptType)
    {
        var (signer, recipient) = (PrivateKey.Generate(signType), PrivateKey.Generate(encryptType));
        var opened = AuthResultToken.Open(AuthResultToken.Issue(AuthResult.Failure(), signer, recipient.PublicKey, Now), recipient, [signer.PublicKey], Now);
        Assert.True(opened.IsValid, opened.Refusal);
        Assert.Equal(AuthStatus.Failed, opened.Result.Status);
        Assert.Empty(opened.Result.Attributes);
    }

    [Theory]
    [InlineData(KeyType.Rsa, "RS256", "RSA-OAEP")]
    [InlineData(KeyType.Ec, "ES256", "ECDH-ES")]
    public void Layout_is_exactly_the_protocols(KeyType type, string jwsAlg, string jweAlg)
    {
        var (signer, recipient) = (PrivateKey.Generate(type), PrivateKey.Generate(type));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, recipient.PublicKey, Now);

        var outer = JWT.Headers(token);
        Assert.Equal("JWT", outer["typ"]);
        Assert.Equal("JWT", outer["cty"]);
        Assert.Equal(jweAlg, outer["alg"]);
        Assert.Equal("A128CBC-HS256", outer["enc"]);

        var plaintext = JsonDocument.Parse(TestJose.Decrypt(token, recipient)).RootElement;
        var jws = plaintext.GetProperty("njwt").GetString()!;
        var inner = JWT.Headers(jws);
        Assert.Equal("JWT", inner["typ"]);
        Assert.Equal(jwsAlg, inner["alg"]);

        var claims = JsonDocument.Parse(JWT.Payload(jws)).RootElement;
        Assert.Equal("id-contact-attributes", claims.GetProperty("sub").GetString());
        Assert.Equal("succes", claims.GetProperty("status").GetString());
        Assert.Equal("Jan de Vries", claims.GetProperty("attributes").GetProperty("fullname").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds() + 300, claims.GetProperty("exp").GetInt64());

        var failed = JsonDocument.Parse(JWT.Payload(JsonDocument.Parse(TestJose.Decrypt(
            AuthResultToken.Issue(AuthResult.Failure(), signer, recipient.PublicKey, Now), recipient)).RootElement.GetProperty("njwt").GetString()!)).RootElement;
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.False(failed.TryGetProperty("attributes", out _));
    }

    [Fact]
    public void Expired_token_is_refused_unless_expiry_is_ignored()
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, recipient.PublicKey, Now);
        var late = AuthResultToken.Open(token, recipient, [signer.PublicKey], Now.AddMinutes(5));
        Assert.False(late.IsValid);
        Assert.Contains("expired", late.Refusal);
        Assert.True(AuthResultToken.Open(token, recipient, [signer.PublicKey], Now.AddMinutes(5), ignoreExpiry: true).IsValid);
    }

    [Fact]
    public void Wrong_signing_key_is_refused()
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, recipient.PublicKey, Now);
        var opened = AuthResultToken.Open(token, recipient, [PrivateKey.Generate(KeyType.Rsa).PublicKey, PrivateKey.Generate(KeyType.Ec).PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.Contains("signature", opened.Refusal);
    }

    [Theory]
    [InlineData(KeyType.Rsa)]
    [InlineData(KeyType.Ec)]
    public void Wrong_decryption_key_is_refused(KeyType type)
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(type));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, recipient.PublicKey, Now);
        var opened = AuthResultToken.Open(token, PrivateKey.Generate(type), [signer.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.Contains("cannot be decrypted", opened.Refusal);
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void After_a_key_change_a_token_to_the_retired_key_still_opens_and_says_which_key_did(KeyType retiredType, KeyType currentType)
    {
        var (signer, retired, current) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(retiredType), PrivateKey.Generate(currentType));
        var toRetired = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, retired.PublicKey, Now);
        var toCurrent = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, current.PublicKey, Now);

        var old = AuthResultToken.Open(toRetired, [current, retired], [signer.PublicKey], Now);
        Assert.True(old.IsValid, old.Refusal);
        Assert.Equal(Attributes, old.Result.Attributes);
        Assert.Equal(1, old.Decrypter);
        var fresh = AuthResultToken.Open(toCurrent, [current, retired], [signer.PublicKey], Now);
        Assert.True(fresh.IsValid, fresh.Refusal);
        Assert.Equal(0, fresh.Decrypter);

        // Without the retired key, the old token is refused as before.
        var dropped = AuthResultToken.Open(toRetired, [current], [signer.PublicKey], Now);
        Assert.False(dropped.IsValid);
        Assert.Equal(-1, dropped.Decrypter);
    }

    [Fact]
    public void A_token_no_listed_key_opens_is_refused_as_undecryptable_not_as_another_algorithm()
    {
        // The current key is EC, the retired one RSA: an RSA-OAEP token to a stranger's RSA key is a wrong key,
        // although the current key would call it the wrong algorithm.
        var signer = PrivateKey.Generate(KeyType.Rsa);
        var token = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, PrivateKey.Generate(KeyType.Rsa).PublicKey, Now);

        var opened = AuthResultToken.Open(token, [PrivateKey.Generate(KeyType.Ec), PrivateKey.Generate(KeyType.Rsa)], [signer.PublicKey], Now);

        Assert.False(opened.IsValid);
        Assert.Contains("cannot be decrypted", opened.Refusal);
        Assert.Contains("ECDH-ES", AuthResultToken.Open(token, [PrivateKey.Generate(KeyType.Ec)], [signer.PublicKey], Now).Refusal);
    }

    [Fact]
    public void Tampered_ciphertext_is_refused()
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var parts = AuthResultToken.Issue(AuthResult.Succeeded(Attributes), signer, recipient.PublicKey, Now).Split('.');
        parts[3] = (parts[3][0] == 'A' ? 'B' : 'A') + parts[3][1..];
        var opened = AuthResultToken.Open(string.Join('.', parts), recipient, [signer.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.NotEmpty(opened.Refusal);
    }

    public static TheoryData<string, string> HandMadeClaims => new()
    {
        { """{"njwt":"__UNSIGNED__"}""", "algorithm 'none'" },
        { """{"other":"x"}""", "njwt" },
        { "[1,2]", "njwt" },
        { "not json", "njwt" },
        { """{"njwt":"__SIGNED__{\"sub\":\"someone-else\",\"status\":\"succes\",\"attributes\":{},\"exp\":9999999999}"}""", "sub" },
        { """{"njwt":"__SIGNED__{\"sub\":\"id-contact-attributes\",\"status\":\"success\",\"attributes\":{},\"exp\":9999999999}"}""", "status" },
        { """{"njwt":"__SIGNED__{\"sub\":\"id-contact-attributes\",\"status\":\"succes\",\"attributes\":{\"age\":42},\"exp\":9999999999}"}""", "attributes" },
        { """{"njwt":"__SIGNED__{\"sub\":\"id-contact-attributes\",\"status\":\"succes\",\"attributes\":{}}"}""", "exp" },
    };

    [Theory]
    [MemberData(nameof(HandMadeClaims))]
    public void Malformed_or_unsigned_contents_are_refused_with_a_reason(string plaintext, string reasonContains)
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        plaintext = TestJose.FillInner(plaintext, signer);
        var token = TestJose.Encrypt(plaintext, recipient.PublicKey, JweAlgorithm.RSA_OAEP, JweEncryption.A128CBC_HS256);
        var opened = AuthResultToken.Open(token, recipient, [signer.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.Contains(reasonContains, opened.Refusal, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("A256GCM")]
    [InlineData("A128GCM")]
    public void Other_content_encryption_is_refused(string enc)
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var inner = TestJose.FillInner("""{"njwt":"__SIGNED__{\"sub\":\"id-contact-attributes\",\"status\":\"failed\",\"exp\":9999999999}"}""", signer);
        var token = TestJose.Encrypt(inner, recipient.PublicKey, JweAlgorithm.RSA_OAEP, enc == "A256GCM" ? JweEncryption.A256GCM : JweEncryption.A128GCM);
        var opened = AuthResultToken.Open(token, recipient, [signer.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.Contains("A128CBC-HS256", opened.Refusal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("garbage")]
    [InlineData("a.b.c.d.e")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.")]
    public void Garbage_is_refused_without_exception(string token)
    {
        var recipient = PrivateKey.Generate(KeyType.Rsa);
        var opened = AuthResultToken.Open(token, recipient, [recipient.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.NotEmpty(opened.Refusal);
    }

    [Fact]
    public void Over_long_input_is_refused_before_parsing()
    {
        var recipient = PrivateKey.Generate(KeyType.Rsa);
        var opened = AuthResultToken.Open(new string('a', AuthResultToken.MaxLength + 1), recipient, [recipient.PublicKey], Now);
        Assert.False(opened.IsValid);
        Assert.Contains("longer", opened.Refusal);
    }
}
