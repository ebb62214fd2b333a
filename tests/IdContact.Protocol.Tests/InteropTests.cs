using System.Security.Cryptography;
using System.Text.Json;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdContact.Protocol.Tests;

/// <summary>Tokens travel between our library and an independent JOSE implementation (Microsoft.IdentityModel) both ways.</summary>
public class InteropTests
{
    [Fact]
    public void Token_made_entirely_by_another_library_opens()
    {
        var (auth, comm) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var handler = new JsonWebTokenHandler();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var inner = handler.CreateToken(
            JsonSerializer.Serialize(new { sub = "id-contact-attributes", status = "succes", attributes = new { email = "a@example.nl" }, iat = now, exp = now + 300 }),
            new SigningCredentials(RsaKey(auth.ToPem()), SecurityAlgorithms.RsaSha256));
        // EncryptToken encrypts the given text as it is: here the protocol's {"njwt": …} claims object.
        var outer = handler.EncryptToken(
            JsonSerializer.Serialize(new { njwt = inner }),
            new EncryptingCredentials(RsaKey(comm.PublicKey.ToPem()), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256),
            new Dictionary<string, object> { ["cty"] = "JWT" });

        var opened = AuthResultToken.Open(outer, comm, [auth.PublicKey], DateTimeOffset.UtcNow);
        Assert.True(opened.IsValid, opened.Refusal);
        Assert.Equal("a@example.nl", opened.Result.Attributes["email"]);
    }

    [Fact]
    public async Task Our_token_decrypts_and_validates_in_another_library()
    {
        var (auth, comm) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(new Dictionary<string, string> { ["bsn"] = "999993653" }), auth, comm.PublicKey, DateTimeOffset.UtcNow);

        var handler = new JsonWebTokenHandler();
        var plaintext = handler.DecryptToken(new JsonWebToken(token), new TokenValidationParameters { TokenDecryptionKey = RsaKey(comm.ToPem()) });
        var jws = JsonDocument.Parse(plaintext).RootElement.GetProperty("njwt").GetString();
        var result = await handler.ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKey = RsaKey(auth.PublicKey.ToPem()),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("id-contact-attributes", result.Claims["sub"]);
        Assert.Equal("succes", result.Claims["status"]);

        var wrongKey = await handler.ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKey = RsaKey(PrivateKey.Generate(KeyType.Rsa).PublicKey.ToPem()),
            ValidateIssuer = false,
            ValidateAudience = false,
        });
        Assert.False(wrongKey.IsValid);
    }

    private static RsaSecurityKey RsaKey(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }
}
