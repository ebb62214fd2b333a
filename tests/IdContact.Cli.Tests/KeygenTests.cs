using IdContact.Protocol.Keys;

namespace IdContact.Cli.Tests;

public sealed class KeygenTests : CliTestBase
{
    [Theory]
    [InlineData("rsa", KeyType.Rsa, 2048)]
    [InlineData("ec", KeyType.Ec, 256)]
    [InlineData("RSA", KeyType.Rsa, 2048)]
    [InlineData("EC", KeyType.Ec, 256)]
    public void Keygen_writes_loadable_pkcs8_and_spki_keys(string type, KeyType expected, int bits)
    {
        var (code, output, _) = Run("keygen", "--type", type, "--out", Dir);
        Assert.Equal(0, code);
        var privatePath = Path.Combine(Dir, "private.pem");
        var publicPath = Path.Combine(Dir, "public.pem");
        Assert.Equal([privatePath, publicPath], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var privatePem = File.ReadAllText(privatePath);
        var publicPem = File.ReadAllText(publicPath);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem);
        var key = PrivateKey.FromPem(expected, privatePem);
        Assert.Equal(key.PublicKey.ToPem(), PublicKey.FromPem(expected, publicPem).ToPem());
        Assert.Equal(expected, KeyFiles.ReadPrivate(privatePath).Type);
        Assert.Equal(bits, KeySize(expected, privatePem));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        }
    }

    [Fact]
    public void Keygen_refuses_to_overwrite_without_force_and_overwrites_with_it()
    {
        Assert.Equal(0, Run("keygen", "--type", "ec", "--out", Dir).Code);
        var privatePath = Path.Combine(Dir, "private.pem");
        var before = File.ReadAllText(privatePath);

        var (code, output, error) = Run("keygen", "--type", "ec", "--out", Dir);
        Assert.Equal(1, code);
        Assert.Contains("--force", error);
        Assert.Equal("", output);
        Assert.Equal(before, File.ReadAllText(privatePath));

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        Assert.Equal(0, Run("keygen", "--type", "rsa", "--out", Dir, "--force").Code);
        Assert.NotEqual(before, File.ReadAllText(privatePath));
        Assert.Equal(KeyType.Rsa, KeyFiles.ReadPrivate(privatePath).Type);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        }
    }

    [Fact]
    public void Keygen_refuses_an_unknown_type_and_a_file_as_directory_in_one_line()
    {
        var unknown = Run("keygen", "--type", "dsa", "--out", Dir);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("'dsa' is not a key type", unknown.Error);
        Assert.False(File.Exists(Path.Combine(Dir, "private.pem")));

        var file = Path.Combine(Dir, "plain-file");
        File.WriteAllText(file, "x");
        var onFile = Run("keygen", "--type", "ec", "--out", file);
        Assert.Equal(1, onFile.Code);
        Assert.Contains("is a file", onFile.Error);

        var underFile = Run("keygen", "--type", "ec", "--out", Path.Combine(file, "sub"));
        Assert.Equal(1, underFile.Code);
        Assert.Single(underFile.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static int KeySize(KeyType type, string pem)
    {
        using System.Security.Cryptography.AsymmetricAlgorithm key = type == KeyType.Rsa
            ? System.Security.Cryptography.RSA.Create()
            : System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(pem);
        return key.KeySize;
    }
}

public sealed class DataProtectionCertTests : CliTestBase
{
    [Fact]
    public void Dataprotection_cert_writes_a_certificate_and_an_owner_only_key_that_belong_together()
    {
        var (code, output, _) = Run("dataprotection-cert", "--out", Dir);
        Assert.Equal(0, code);
        var certificatePath = Path.Combine(Dir, "certificate.pem");
        var keyPath = Path.Combine(Dir, "key.pem");
        Assert.Equal([certificatePath, keyPath], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var options = new Hosting.KeyRingOptions { Certificate = File.ReadAllText(certificatePath), Key = File.ReadAllText(keyPath) };
        var (certificate, problem) = options.Load("DataProtection");
        Assert.Null(problem);
        Assert.Equal(3072, System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(certificate!)!.KeySize);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }

        Assert.Equal(1, Run("dataprotection-cert", "--out", Dir).Code); // no overwrite without --force
    }
}
