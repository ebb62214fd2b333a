using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdContact.Cli;

/// <summary>
/// <c>dataprotection-cert --out DIR</c>: certificate.pem and key.pem (PKCS#8, mode 0600) for the server's
/// <c>DataProtection:Certificate</c> and <c>DataProtection:Key</c>, which encrypt the key ring at rest.
/// </summary>
public static class DataProtectionCertCommand
{
    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "directory for certificate.pem and key.pem (created if needed)", Required = true };
        var force = new Option<bool>("--force") { Description = "overwrite existing files" };
        var command = new Command("dataprotection-cert", "Generate the certificate that encrypts the server's data-protection key ring at rest.") { output, force };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var certificatePath = Path.Combine(dir, "certificate.pem");
            var keyPath = Path.Combine(dir, "key.pem");
            if (File.Exists(dir))
            {
                return io.Fail($"--out '{dir}' is a file; give a directory.");
            }

            if (!parse.GetValue(force) && (File.Exists(certificatePath) || File.Exists(keyPath)))
            {
                return io.Fail($"'{dir}' already holds certificate files; use --force to overwrite them.");
            }

            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=IdContact data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
            // Expiry is not checked when the ring is read; ten years leaves rotation to the operator's schedule.
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            Directory.CreateDirectory(dir);
            KeygenCommand.WritePrivate(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
            io.Out.WriteLine(certificatePath);
            io.Out.WriteLine(keyPath);
            return 0;
        });
        return command;
    }
}
