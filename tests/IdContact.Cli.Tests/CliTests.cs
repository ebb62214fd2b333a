using System.Text.Json;
using IdContact.Protocol.Keys;

namespace IdContact.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idcontact-cli-").FullName;

    [Theory]
    [InlineData("rsa", KeyType.Rsa)]
    [InlineData("ec", KeyType.Ec)]
    public void Keygen_writes_loadable_pkcs8_and_spki_keys(string type, KeyType expected)
    {
        var (code, output, _) = Run("keygen", "--type", type, "--out", _dir);
        Assert.Equal(0, code);
        Assert.Contains("private.pem", output);
        var key = PrivateKey.FromPem(expected, File.ReadAllText(Path.Combine(_dir, "private.pem")));
        Assert.Equal(key.PublicKey.ToPem(), PublicKey.FromPem(expected, File.ReadAllText(Path.Combine(_dir, "public.pem"))).ToPem());
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(_dir, "private.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "private.pem")));
        }
    }

    [Fact]
    public void Keygen_refuses_to_overwrite_without_force()
    {
        Assert.Equal(0, Run("keygen", "--type", "ec", "--out", _dir).Code);
        var before = File.ReadAllText(Path.Combine(_dir, "private.pem"));
        var (code, _, error) = Run("keygen", "--type", "ec", "--out", _dir);
        Assert.Equal(1, code);
        Assert.Contains("--force", error);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir, "private.pem")));
    }

    [Theory]
    [InlineData("rsa", "ec")]
    [InlineData("ec", "rsa")]
    public void Issued_token_inspects_to_its_attributes(string signType, string encryptType)
    {
        var (auth, comm) = Keys(signType, encryptType);
        var token = Issue(auth, comm, "--attr", "fullname=Jan de Vries", "--attr", "email=jan=x@example.nl", "--session-url", "https://s.example/1");
        var (code, output, _) = Run(["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token]);
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("succes", json.GetProperty("status").GetString());
        Assert.Equal("Jan de Vries", json.GetProperty("attributes").GetProperty("fullname").GetString());
        Assert.Equal("jan=x@example.nl", json.GetProperty("attributes").GetProperty("email").GetString());
        Assert.Equal("https://s.example/1", json.GetProperty("session_url").GetString());
    }

    [Fact]
    public void Inspect_reads_the_token_from_standard_input_and_shows_failed_status()
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var token = Issue(auth, comm, "--status", "failed");
        var (code, output, _) = Run(["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem")], stdin: token + "\n");
        Assert.Equal(0, code);
        Assert.Equal("failed", JsonDocument.Parse(output).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Inspect_refuses_wrong_key_and_expired_token_with_a_reason()
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var token = Issue(auth, comm, "--attr", "bsn=999993653", "--ttl", "60");

        var wrongKey = Run(["token", "inspect", "--decrypt-key", Path.Combine(auth, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token]);
        Assert.Equal(1, wrongKey.Code);
        Assert.Contains("cannot be decrypted", wrongKey.Error);
        Assert.DoesNotContain("999993653", wrongKey.Output + wrongKey.Error);

        var later = new FixedTime(DateTimeOffset.UtcNow.AddMinutes(2));
        string[] inspect = ["token", "inspect", "--decrypt-key", Path.Combine(comm, "private.pem"), "--verify-key", Path.Combine(auth, "public.pem"), token];
        var expired = Run(inspect, time: later);
        Assert.Equal(1, expired.Code);
        Assert.Contains("expired", expired.Error);
        Assert.Equal(0, Run([.. inspect, "--ignore-expiry"], time: later).Code);
    }

    [Fact]
    public void Issue_rejects_attribute_without_equals_sign()
    {
        var (auth, comm) = Keys("rsa", "rsa");
        var (code, _, error) = Run("token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "public.pem"), "--attr", "novalue");
        Assert.Equal(1, code);
        Assert.Contains("tag=value", error);
    }

    [Fact]
    public void Config_check_accepts_a_complete_config_and_lists_every_problem_of_a_broken_one()
    {
        var (auth, comm) = Keys("rsa", "ec");
        var good = new
        {
            Roles = "core,auth-test",
            Core = new { StateSecret = Convert.ToBase64String(new byte[32]) },
            AuthTest = new
            {
                SigningKey = new { Type = "RSA", Key = File.ReadAllText(Path.Combine(auth, "private.pem")) },
                EncryptionKey = new { Type = "EC", Key = File.ReadAllText(Path.Combine(comm, "public.pem")) },
            },
            Tenants = new Dictionary<string, object>
            {
                ["arnhem"] = new
                {
                    DisplayName = "Gemeente Arnhem",
                    Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing", Attributes = new[] { "email" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new[] { new { Tag = "test", Name = "Test", ImagePath = "/x.svg", Start = "/{tenant}/auth-test" } },
                    CommMethods = new[] { new { Tag = "ext", Name = "Extern", ImagePath = "/x.svg", Start = "https://comm.example" } },
                },
            },
        };
        var goodPath = Path.Combine(_dir, "good.json");
        File.WriteAllText(goodPath, JsonSerializer.Serialize(good));
        var ok = Run("config", "check", "--config", goodPath);
        Assert.Equal(0, ok.Code);
        Assert.Contains("Configuration OK", ok.Output);

        var badPath = Path.Combine(_dir, "bad.json");
        File.WriteAllText(badPath, """{ "Roles": "core,auth-test", "Tenants": { "arnhem": { "DisplayName": "" } } }""");
        var bad = Run("config", "check", "--config", badPath);
        Assert.Equal(1, bad.Code);
        var problems = bad.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(problems, p => p.Contains("StateSecret"));
        Assert.Contains(problems, p => p.Contains("AuthTest:SigningKey is missing"));
        Assert.Contains(problems, p => p.Contains("DisplayName"));
    }

    [Fact]
    public void Config_check_names_a_missing_or_malformed_file()
    {
        var missing = Run("config", "check", "--config", Path.Combine(_dir, "nope.json"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("nope.json", missing.Error);
        var path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{ not json");
        var broken = Run("config", "check", "--config", path);
        Assert.Equal(1, broken.Code);
        Assert.Contains("not valid JSON", broken.Error);
    }

    [Fact]
    public void Admin_create_prints_a_one_time_password_once_per_user()
    {
        var data = Path.Combine(_dir, "data");
        var first = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data);
        Assert.Equal(0, first.Code);
        var password = first.Output.Split(": ").Last().Trim();
        Assert.True(password.Length >= 12, password);
        Assert.True(File.Exists(Path.Combine(data, "desk", "arnhem.db")));

        var again = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data);
        Assert.Equal(1, again.Code);
        var unknown = Run("admin", "create", "--tenant", "atlantis", "--user", "x", "--data", data);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("atlantis", unknown.Error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Auth, string Comm) Keys(string signType, string encryptType)
    {
        var auth = Path.Combine(_dir, "auth");
        var comm = Path.Combine(_dir, "comm");
        Assert.Equal(0, Run("keygen", "--type", signType, "--out", auth).Code);
        Assert.Equal(0, Run("keygen", "--type", encryptType, "--out", comm).Code);
        return (auth, comm);
    }

    private string Issue(string auth, string comm, params string[] extra)
    {
        var (code, output, error) = Run(["token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "public.pem"), .. extra]);
        Assert.True(code == 0, error);
        return output.Trim();
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => Run(args, null, null);

    private static (int Code, string Output, string Error) Run(string[] args, string? stdin = null, TimeProvider? time = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error, new StringReader(stdin ?? ""), time);
        return (code, output.ToString(), error.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
