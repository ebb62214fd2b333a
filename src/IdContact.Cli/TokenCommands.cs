using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;

namespace IdContact.Cli;

/// <summary><c>token issue</c> and <c>token inspect</c>: make and read auth-result tokens by hand.</summary>
public static class TokenCommands
{
    public static Command Create(CliIo io) => new("token", "Issue or inspect auth-result tokens.") { Issue(io), Inspect(io) };

    private static Command Issue(CliIo io)
    {
        var signKey = new Option<string>("--sign-key") { Description = "auth plugin private key (PKCS#8 PEM)", Required = true };
        var encryptKey = new Option<string>("--encrypt-key") { Description = "comm plugin public key (SPKI PEM)", Required = true };
        var attrs = new Option<string[]>("--attr") { Description = "attribute as tag=value; repeat for more", AllowMultipleArgumentsPerToken = false };
        var status = new Option<string>("--status") { Description = "succes (default) or failed", DefaultValueFactory = _ => "succes" };
        status.AcceptOnlyFromAmong("succes", "success", "failed");
        var ttl = new Option<int>("--ttl") { Description = "lifetime in seconds", DefaultValueFactory = _ => 300 };
        var sessionUrl = new Option<string?>("--session-url") { Description = "optional session_url claim" };
        var command = new Command("issue", "Sign and encrypt an auth-result token; prints it.") { signKey, encryptKey, attrs, status, ttl, sessionUrl };
        command.SetAction(parse =>
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(attrs) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return io.Fail($"--attr '{pair}' is not of the form tag=value.");
                }

                attributes[pair[..eq]] = pair[(eq + 1)..];
            }

            if (parse.GetValue(ttl) < 1)
            {
                return io.Fail("--ttl must be at least 1 second.");
            }

            try
            {
                var result = parse.GetValue(status) == "failed"
                    ? AuthResult.Failure(parse.GetValue(sessionUrl))
                    : AuthResult.Succeeded(attributes, parse.GetValue(sessionUrl));
                io.Out.WriteLine(AuthResultToken.Issue(
                    result,
                    KeyFiles.ReadPrivate(parse.GetValue(signKey)!),
                    KeyFiles.ReadPublic(parse.GetValue(encryptKey)!),
                    io.Time.GetUtcNow(),
                    TimeSpan.FromSeconds(parse.GetValue(ttl))));
                return 0;
            }
            catch (KeyLoadException e)
            {
                return io.Fail(e.Message);
            }
        });
        return command;
    }

    private static Command Inspect(CliIo io)
    {
        var decryptKey = new Option<string>("--decrypt-key") { Description = "comm plugin private key (PKCS#8 PEM)", Required = true };
        var verifyKeys = new Option<string[]>("--verify-key") { Description = "trusted auth plugin public key (SPKI PEM); repeat for more", Required = true };
        var ignoreExpiry = new Option<bool>("--ignore-expiry") { Description = "accept an expired token (for looking at old tokens)" };
        var token = new Argument<string?>("token") { Description = "the token; read from standard input when absent", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("inspect", "Decrypt and verify a token; prints status, attributes and session_url.") { decryptKey, verifyKeys, ignoreExpiry, token };
        command.SetAction(parse =>
        {
            try
            {
                var text = parse.GetValue(token) ?? io.In.ReadToEnd();
                var opened = AuthResultToken.Open(
                    text,
                    KeyFiles.ReadPrivate(parse.GetValue(decryptKey)!),
                    (parse.GetValue(verifyKeys) ?? []).Select(KeyFiles.ReadPublic).ToList(),
                    io.Time.GetUtcNow(),
                    parse.GetValue(ignoreExpiry));
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
                io.Out.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            catch (KeyLoadException e)
            {
                return io.Fail(e.Message);
            }
        });
        return command;
    }
}
