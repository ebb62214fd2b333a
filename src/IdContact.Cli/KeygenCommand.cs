using System.CommandLine;
using IdContact.Protocol.Keys;

namespace IdContact.Cli;

/// <summary><c>keygen --type rsa|ec --out DIR</c>: private.pem (PKCS#8, mode 0600) and public.pem (SPKI).</summary>
public static class KeygenCommand
{
    public static Command Create(CliIo io)
    {
        var type = new Option<string>("--type") { Description = "rsa (2048 bits) or ec (P-256)", Required = true };
        type.AcceptOnlyFromAmong("rsa", "ec");
        var output = new Option<string>("--out") { Description = "directory for private.pem and public.pem", Required = true };
        var force = new Option<bool>("--force") { Description = "overwrite existing key files" };
        var command = new Command("keygen", "Generate a key pair for signing or encrypting auth results.") { type, output, force };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var privatePath = Path.Combine(dir, "private.pem");
            var publicPath = Path.Combine(dir, "public.pem");
            if (!parse.GetValue(force) && (File.Exists(privatePath) || File.Exists(publicPath)))
            {
                return io.Fail($"{dir} already holds key files; use --force to overwrite them.");
            }

            var key = PrivateKey.Generate(parse.GetValue(type) == "ec" ? KeyType.Ec : KeyType.Rsa);
            Directory.CreateDirectory(dir);
            File.WriteAllText(privatePath, key.ToPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(publicPath, key.PublicKey.ToPem());
            io.Out.WriteLine(privatePath);
            io.Out.WriteLine(publicPath);
            return 0;
        });
        return command;
    }
}
