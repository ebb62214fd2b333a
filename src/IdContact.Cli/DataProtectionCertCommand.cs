using System.CommandLine;
using IdContact.Hosting;

namespace IdContact.Cli;

/// <summary>
/// <c>dataprotection-cert --out DIR</c>: certificate.pem and key.pem (PKCS#8, mode 0600) for the server's
/// <c>DataProtection:Certificate</c> and <c>DataProtection:Key</c>, which encrypt the key ring at rest.
/// </summary>
public static class DataProtectionCertCommand
{
    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "directory for certificate.pem and key.pem (created if needed)", Required = true };
        var force = new Option<bool>("--force") { Description = "overwrite existing files" };
        var command = new Command("dataprotection-cert", "Generate the certificate that encrypts the server's data-protection key ring at rest.") { output, force };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var certificatePath = Path.Combine(dir, "certificate.pem");
            var keyPath = Path.Combine(dir, "key.pem");
            if (KeygenCommand.RefuseOutput(io, dir, parse.GetValue(force), certificatePath, keyPath) is { } refused)
            {
                return refused;
            }

            var (certificate, key) = KeyRingOptions.NewCertificate("IdContact data protection", 3072);
            Directory.CreateDirectory(dir);
            OwnerOnlyFile.Write(keyPath, key + "\n");
            File.WriteAllText(certificatePath, certificate + "\n");
            io.Out.WriteLine(certificatePath);
            io.Out.WriteLine(keyPath);
            return 0;
        });
        return command;
    }
}
