using System.Text;
using System.Text.Json;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;

namespace IdContact.Protocol.Tests;

/// <summary>Our tokens have the same headers as the example token in the public ID Contact documentation.</summary>
public class PublishedExampleTests
{
    // Header segments of the documented example (docs: concepts/JWTs); its keys are not published.
    private const string ExampleJweHeader = "eyJ0eXAiOiJKV1QiLCJjdHkiOiJKV1QiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiUlNBLU9BRVAifQ";
    private const string ExampleJwsHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9";

    [Fact]
    public void Our_headers_equal_the_documented_example_headers()
    {
        var (signer, recipient) = (PrivateKey.Generate(KeyType.Rsa), PrivateKey.Generate(KeyType.Rsa));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(new Dictionary<string, string> { ["email"] = "bla" }), signer, recipient.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(Fields(ExampleJweHeader), Fields(token.Split('.')[0]));

        var jws = JsonDocument.Parse(TestJose.Decrypt(token, recipient)).RootElement.GetProperty("njwt").GetString()!;
        Assert.Equal(Fields(ExampleJwsHeader), Fields(jws.Split('.')[0]));
    }

    private static SortedDictionary<string, string> Fields(string segment)
    {
        var padded = segment.Replace('-', '+').Replace('_', '/').PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '=');
        var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded))).RootElement;
        return new SortedDictionary<string, string>(json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), StringComparer.Ordinal);
    }
}
