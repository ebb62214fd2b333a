using System.Security.Cryptography;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests;

/// <summary>DataProtection:Certificate/Key encrypt the key ring that signs agents' cookies and protected links.</summary>
public sealed class KeyRingProtectionTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "idcontact-tests", "keyring-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task With_a_certificate_the_key_ring_on_disk_is_encrypted_and_a_restart_with_it_reads_what_was_protected()
    {
        var (certificate, key) = NewCertificate();
        string protectedText;
        await using (var first = await StartAsync(certificate, key))
        {
            protectedText = Protector(first).Protect("agent cookie");
        }

        var ring = KeyRingXml();
        Assert.Contains("<encryptedSecret", ring, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", ring, StringComparison.Ordinal); // the master key in the clear

        await using (var restarted = await StartAsync(certificate, key))
        {
            Assert.Equal("agent cookie", Protector(restarted).Unprotect(protectedText));
        }

        // Another certificate cannot open the ring: what was protected is unreadable, not forged or silently replaced.
        var (other, otherKey) = NewCertificate();
        await using var stranger = await StartAsync(other, otherKey);
        Assert.ThrowsAny<CryptographicException>(() => Protector(stranger).Unprotect(protectedText));
    }

    [Fact]
    public async Task After_a_change_of_certificate_the_previous_one_still_opens_the_older_keys()
    {
        var (old, oldKey) = NewCertificate();
        string protectedText;
        await using (var first = await StartAsync(old, oldKey))
        {
            protectedText = Protector(first).Protect("agent cookie");
        }

        var (current, currentKey) = NewCertificate();
        await using var rotated = await StartAsync(current, currentKey, "--DataProtection:Previous:0:Certificate", old, "--DataProtection:Previous:0:Key", oldKey);
        Assert.Equal("agent cookie", Protector(rotated).Unprotect(protectedText));
    }

    [Fact]
    public async Task The_demo_encrypts_its_key_ring_with_a_certificate_it_makes_once_and_keeps()
    {
        string protectedText;
        await using (var demo = await StartAsync(null, null))
        {
            protectedText = Protector(demo).Protect("agent cookie");
        }

        var certificate = File.ReadAllText(Path.Combine(_data, "keys", "dataprotection-certificate.pem"));
        Assert.Contains("<encryptedSecret", KeyRingXml(), StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", KeyRingXml(), StringComparison.Ordinal);
        await using (var restarted = await StartAsync(null, null))
        {
            Assert.Equal("agent cookie", Protector(restarted).Unprotect(protectedText));
        }

        Assert.Equal(certificate, File.ReadAllText(Path.Combine(_data, "keys", "dataprotection-certificate.pem")));
    }

    [Theory]
    [InlineData(true, false, "DataProtection: give both Certificate and Key (PEM), or neither.")]
    [InlineData(true, true, "DataProtection: Certificate and Key are not a PEM certificate and its PKCS#8 private key.")]
    public void A_half_or_mismatched_certificate_is_a_configuration_problem(bool withCertificate, bool withOtherKey, string problem)
    {
        var (certificate, _) = NewCertificate();
        var (_, otherKey) = NewCertificate();
        List<string> args = ["--data", _data];
        if (withCertificate)
        {
            args.AddRange(["--DataProtection:Certificate", certificate]);
        }

        if (withOtherKey)
        {
            args.AddRange(["--DataProtection:Key", otherKey]);
        }

        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build([.. args]));
        Assert.Contains(problem, e.Problems);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private Task<RunningServer> StartAsync(string? certificate, string? key, params string[] more) =>
        RunningServer.StartAsync(
        [
            "--data", _data,
            .. certificate is null ? Array.Empty<string>() : ["--DataProtection:Certificate", certificate, "--DataProtection:Key", key!],
            .. more,
        ]);

    private static IDataProtector Protector(RunningServer server) =>
        server.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyRingProtectionTests");

    private string KeyRingXml() =>
        string.Concat(Directory.GetFiles(Path.Combine(_data, "dataprotection"), "*.xml").Select(File.ReadAllText));

    private static (string Certificate, string Key) NewCertificate() => KeyRingOptions.NewCertificate("test key ring", 2048);
}
