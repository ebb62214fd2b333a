using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;

namespace IdContact.Cli;

/// <summary><c>token issue</c> and <c>token inspect</c>: make and read auth-result tokens by hand.</summary>
public static class TokenCommands
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // show "é" and "+" as they are; still valid JSON
    };

    public static Command Create(CliIo io) => new("token", "Issue or inspect auth-result tokens.") { Issue(io), Inspect(io) };

    private static Command Issue(CliIo io)
    {
        var signKey = new Option<string>("--sign-key") { Description = "auth plugin private key (PKCS#8 PEM)", HelpName = "AUTH-PRIV.pem", Required = true };
        var encryptKey = new Option<string>("--encrypt-key") { Description = "comm plugin public key (SPKI PEM)", HelpName = "COMM-PUB.pem", Required = true };
        var attrs = new Option<string[]>("--attr") { Description = "attribute as tag=value; repeat for more", HelpName = "tag=value" };
        var status = new Option<string>("--status") { Description = "succes (default) or failed", DefaultValueFactory = _ => "succes" };
        status.AcceptOnlyFromAmong("succes", "success", "failed");
        var ttl = new Option<int>("--ttl") { Description = "lifetime in seconds", HelpName = "SECONDS", DefaultValueFactory = _ => 300 };
        var sessionUrl = new Option<string?>("--session-url") { Description = "optional session_url claim (absolute http(s) URL)", HelpName = "URL" };
        var command = new Command("issue", "Sign and encrypt an auth-result token; prints it.") { signKey, encryptKey, attrs, status, ttl, sessionUrl };
        command.SetAction(parse =>
        {
            var failed = parse.GetValue(status) == "failed";
            var pairs = parse.GetValue(attrs) ?? [];
            if (failed && pairs.Length > 0)
            {
                return io.Fail("--attr cannot be combined with --status failed: a failed result carries no attributes.");
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return io.Fail($"--attr '{pair}' is not of the form tag=value.");
                }

                if (!attributes.TryAdd(pair[..eq], pair[(eq + 1)..]))
                {
                    return io.Fail($"--attr '{pair[..eq]}' is given more than once.");
                }
            }

            var ttlSeconds = parse.GetValue(ttl);
            if (ttlSeconds < 1)
            {
                return io.Fail("--ttl must be at least 1 second.");
            }

            var session = parse.GetValue(sessionUrl);
            if (session is not null && !(Uri.TryCreate(session, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                return io.Fail($"--session-url '{session}' is not an absolute http(s) URL.");
            }

            var result = failed ? AuthResult.Failure(session) : AuthResult.Succeeded(attributes, session);
            io.Out.WriteLine(AuthResultToken.Issue(
                result,
                KeyFiles.ReadPrivate(parse.GetValue(signKey)!),
                KeyFiles.ReadPublic(parse.GetValue(encryptKey)!),
                io.Time.GetUtcNow(),
                TimeSpan.FromSeconds(ttlSeconds)));
            return 0;
        });
        return command;
    }

    private static Command Inspect(CliIo io)
    {
        var decryptKey = new Option<string>("--decrypt-key") { Description = "comm plugin private key (PKCS#8 PEM)", HelpName = "COMM-PRIV.pem", Required = true };
        var verifyKeys = new Option<string[]>("--verify-key") { Description = "trusted auth plugin public key (SPKI PEM); repeat for more", HelpName = "AUTH-PUB.pem", Required = true };
        var ignoreExpiry = new Option<bool>("--ignore-expiry") { Description = "accept an expired token (for looking at old tokens)" };
        var token = new Argument<string?>("token") { Description = "the token; read from standard input when absent or '-'", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("inspect", "Decrypt and verify a token; prints status, attributes and session_url as JSON.") { decryptKey, verifyKeys, ignoreExpiry, token };
        command.SetAction(parse =>
        {
            // Keys first: a bad key file is reported before anything waits on standard input.
            var decrypter = KeyFiles.ReadPrivate(parse.GetValue(decryptKey)!);
            var verifiers = (parse.GetValue(verifyKeys) ?? []).Select(KeyFiles.ReadPublic).ToList();
            var text = parse.GetValue(token) is { } given && given != "-" ? given : io.In.ReadToEnd();
            if (string.IsNullOrWhiteSpace(text))
            {
                return io.Fail("No token: give it as an argument or pipe it to standard input.");
            }

            var opened = AuthResultToken.Open(text, decrypter, verifiers, io.Time.GetUtcNow(), parse.GetValue(ignoreExpiry));
            if (!opened.IsValid)
            {
                return io.Fail("Refused: " + opened.Refusal);
            }

            var attributes = new JsonObject();
            foreach (var (tag, value) in opened.Result.Attributes)
            {
                attributes[tag] = value;
            }

            var output = new JsonObject
            {
                ["status"] = opened.Result.Status == AuthStatus.Success ? "succes" : "failed",
                ["attributes"] = attributes,
                ["session_url"] = opened.Result.SessionUrl,
            };
            io.Out.WriteLine(output.ToJsonString(Pretty));
            return 0;
        });
        return command;
    }
}
