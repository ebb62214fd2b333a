using System.Security.Cryptography;
using System.Text.Json;

namespace IdContact.Cli.Tests;

public sealed class TokenTests : CliTestBase
{
    [Theory]
    [InlineData("rsa", "rsa")]
    [InlineData("ec", "ec")]
    [InlineData("rsa", "ec")]
    [InlineData("ec", "rsa")]
    public void Issued_token_inspects_to_its_attributes(string signType, string encryptType)
    {
        var (auth, comm) = Keys(signType, encryptType);
        var token = Issue(auth, comm, "--attr", "fullname=Zoë de Vries & Jan", "--attr", "email=jan=x@example.nl", "--session-url", "https://s.example/1");
        Assert.Equal(5, token.Split('.').Length);

        var (code, output, error) = Run("token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token);
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("succes", json.GetProperty("status").GetString());
        Assert.Equal("Zoë de Vries & Jan", json.GetProperty("attributes").GetProperty("fullname").GetString());
        Assert.Equal("jan=x@example.nl", json.GetProperty("attributes").GetProperty("email").GetString());
        Assert.Equal(2, json.GetProperty("attributes").EnumerateObject().Count());
        Assert.Equal("https://s.example/1", json.GetProperty("session_url").GetString());
        Assert.Contains("Zoë", output); // readable, not \u00EB
    }

    [Fact]
    public void Inspect_reads_the_token_from_standard_input_and_shows_failed_status()
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var token = Issue(auth, comm, "--status", "failed");
        string[] inspect = ["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem")];

        var (code, output, _) = Run(inspect, stdin: token + "\n");
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("failed", json.GetProperty("status").GetString());
        Assert.Empty(json.GetProperty("attributes").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("session_url").ValueKind);

        Assert.Equal(0, Run([.. inspect, "-"], stdin: token).Code);
        var none = Run(inspect, stdin: "");
        Assert.Equal(1, none.Code);
        Assert.Contains("No token", none.Error);
    }

    [Fact]
    public void Inspect_accepts_any_of_several_verify_keys()
    {
        var (auth, comm) = Keys("ec", "rsa");
        var token = Issue(auth, comm, "--attr", "email=a@example.nl");
        var (code, output, error) = Run("token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"),
            "--verify-key", Path.Combine(comm, "public.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token);
        Assert.True(code == 0, error);
        Assert.Contains("a@example.nl", output);

        var untrusted = Run("token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(comm, "public.pem"), token);
        Assert.Equal(1, untrusted.Code);
        Assert.Contains("signature", untrusted.Error);
        Assert.Equal("", untrusted.Output);
    }

    [Fact]
    public void Inspect_refuses_wrong_key_and_expired_token_with_a_reason()
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var issuedAt = new FixedTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var token = Issue(auth, comm, issuedAt, "--attr", "bsn=999993653", "--ttl", "1");
        string[] inspect = ["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token];

        var wrongKey = Run(["token", "inspect", "--decrypt-key", Path.Combine(auth, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token], time: issuedAt);
        Assert.Equal(1, wrongKey.Code);
        Assert.Contains("cannot be decrypted", wrongKey.Error);
        Assert.DoesNotContain("999993653", wrongKey.Output + wrongKey.Error);

        Assert.Equal(0, Run(inspect, time: issuedAt).Code);
        var later = new FixedTime(issuedAt.GetUtcNow().AddSeconds(1));
        var expired = Run(inspect, time: later);
        Assert.Equal(1, expired.Code);
        Assert.Contains("expired", expired.Error);
        Assert.Equal("", expired.Output);
        var ignored = Run([.. inspect, "--ignore-expiry"], time: later);
        Assert.Equal(0, ignored.Code);
        Assert.Contains("999993653", ignored.Output);

        var tampered = Run(["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token[..^4] + "AAAA"], time: issuedAt);
        Assert.Equal(1, tampered.Code);
        Assert.StartsWith("Refused:", tampered.Error);
    }

    [Theory]
    [InlineData("novalue", "tag=value")]
    [InlineData("=value", "tag=value")]
    public void Issue_rejects_attribute_without_tag_or_equals_sign(string attr, string expected)
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var (code, output, error) = Run("token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "public.pem"), "--attr", attr);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("--attr", "a=1", "--attr", "a=2", "more than once")]
    [InlineData("--attr", "a=1", "--status", "failed", "cannot be combined")]
    [InlineData("--session-url", "not-a-url", "--ttl", "5", "not an absolute http(s) URL")]
    [InlineData("--ttl", "0", "--attr", "a=1", "at least 1 second")]
    public void Issue_rejects_inconsistent_options(string o1, string v1, string o2, string v2, string expected)
    {
        var (auth, comm) = Keys("ec", "ec");
        var (code, _, error) = Run("token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "public.pem"), o1, v1, o2, v2);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Key_files_are_recognised_by_their_content_and_bad_ones_are_named()
    {
        var (auth, comm) = Keys("ec", "rsa");
        var pkcs1 = Write("pkcs1.pem", RSA.Create(2048).ExportRSAPrivateKeyPem());
        var p384 = Write("p384.pem", ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem());
        var dsa = Write("dsa.pem", DSA.Create(2048).ExportPkcs8PrivateKeyPem());
        var notPem = Write("junk.pem", "hello");
        var cases = new (string SignKey, string Expected)[]
        {
            (Path.Combine(auth, "public.pem"), "this is a public key"),
            (pkcs1, "openssl pkcs8 -topk8"),
            (p384, "P-256"),
            (dsa, "not supported"),
            (notPem, "not a PEM file"),
            (Path.Combine(Dir, "missing.pem"), "does not exist"),
            (auth, "is a directory"),
        };
        foreach (var (signKey, expected) in cases)
        {
            var (code, output, error) = Run("token", "issue", "--sign-key", signKey, "--encrypt-key", Path.Combine(comm, "public.pem"), "--attr", "a=b");
            Assert.True(code == 1, signKey);
            Assert.Contains(expected, error);
            Assert.Contains(signKey, error);
            Assert.Equal("", output);
        }

        var privateAsPublic = Run("token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "private.pem"));
        Assert.Equal(1, privateAsPublic.Code);
        Assert.Contains("this is a private key", privateAsPublic.Error);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
