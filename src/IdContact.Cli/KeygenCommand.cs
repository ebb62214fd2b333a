using System.CommandLine;
using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Cli;

/// <summary><c>keygen --type rsa|ec --out DIR</c>: private.pem (PKCS#8, mode 0600) and public.pem (SPKI).</summary>
public static class KeygenCommand
{
    public static Command Create(CliIo io)
    {
        var type = new Option<KeyType>("--type")
        {
            Description = "rsa (2048 bits, RS256 / RSA-OAEP) or ec (P-256, ES256 / ECDH-ES)",
            HelpName = "rsa|ec",
            Required = true,
            CustomParser = result => result.Tokens[0].Value.ToLowerInvariant() switch
            {
                "rsa" => KeyType.Rsa,
                "ec" => KeyType.Ec,
                var other => Invalid(result, $"--type '{other}' is not a key type; use rsa or ec."),
            },
        };
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "directory for private.pem and public.pem (created if needed)", Required = true };
        var force = new Option<bool>("--force") { Description = "overwrite existing key files" };
        var command = new Command("keygen", "Generate a key pair for signing or encrypting auth results.") { type, output, force };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var privatePath = Path.Combine(dir, "private.pem");
            var publicPath = Path.Combine(dir, "public.pem");
            if (RefuseOutput(io, dir, parse.GetValue(force), privatePath, publicPath) is { } refused)
            {
                return refused;
            }

            var key = PrivateKey.Generate(parse.GetValue(type));
            Directory.CreateDirectory(dir);
            OwnerOnlyFile.Write(privatePath, key.ToPem() + "\n");
            File.WriteAllText(publicPath, key.PublicKey.ToPem() + "\n");
            io.Out.WriteLine(privatePath);
            io.Out.WriteLine(publicPath);
            return 0;
        });
        return command;
    }

    /// <summary>The exit code when <paramref name="dir"/> cannot take the files: it is a file, or holds them already without --force.</summary>
    internal static int? RefuseOutput(CliIo io, string dir, bool force, params string[] files)
    {
        if (File.Exists(dir))
        {
            return io.Fail($"--out '{dir}' is a file; give a directory.");
        }

        return !force && files.Any(File.Exists) ? io.Fail($"'{dir}' already holds key files; use --force to overwrite them.") : null;
    }

    private static KeyType Invalid(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return default;
    }
}
