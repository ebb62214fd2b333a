using System.Text;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;

namespace IdContact.Protocol.Tests;

public class AuthOnlyStartTokenTests
{
    private static readonly AuthOnlyRequest Request = new("report_move", "irma", "https://desk.example/video/1", "https://desk.example/video/1/attr");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData(KeyType.Rsa)]
    [InlineData(KeyType.Ec)]
    public void Signed_request_verifies_with_the_named_key(KeyType type)
    {
        var key = PrivateKey.Generate(type);
        var jws = AuthOnlyStartToken.Create(Request, key, "desk-1", Now);
        Assert.True(AuthOnlyStartToken.TryVerify(jws, kid => kid == "desk-1" ? key.PublicKey : null, Now, out var request, out var refusal), refusal);
        Assert.Equal(Request, request);
    }

    [Fact]
    public void Unknown_kid_wrong_key_none_expired_and_incomplete_requests_are_refused()
    {
        var key = PrivateKey.Generate(KeyType.Ec);
        Func<string, PublicKey?> keys = kid => kid == "desk-1" ? key.PublicKey : null;

        AssertRefused(AuthOnlyStartToken.Create(Request, key, "desk-2", Now), keys, "kid");
        AssertRefused(AuthOnlyStartToken.Create(Request, PrivateKey.Generate(KeyType.Ec), "desk-1", Now), keys, "signature");
        AssertRefused(AuthOnlyStartToken.Create(Request, key, "desk-1", Now.AddHours(-1)), keys, "expired");
        AssertRefused(AuthOnlyStartToken.Create(Request with { CommUrl = null }, key, "desk-1", Now), keys, "comm_url");
        var payload = AuthOnlyStartToken.Create(Request, key, "desk-1", Now).Split('.')[1];
        AssertRefused(B64("{\"alg\":\"none\",\"kid\":\"desk-1\"}") + "." + payload + ".", keys, "algorithm");
        AssertRefused("not a jws", keys, "JWS");
    }

    private static void AssertRefused(string jws, Func<string, PublicKey?> keys, string reason)
    {
        Assert.False(AuthOnlyStartToken.TryVerify(jws, keys, Now, out var request, out var refusal));
        Assert.Null(request);
        Assert.Contains(reason, refusal, StringComparison.OrdinalIgnoreCase);
    }

    private static string B64(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
