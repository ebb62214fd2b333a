using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Sessions;

/// <summary>The desk's decryption key and the auth plugins' verification keys, loaded once.</summary>
public sealed class DeskKeys(IOptions<IdContactOptions> options, TimeProvider time)
{
    private readonly PrivateKey _decrypter = PrivateKey.Load(options.Value.Desk.DecryptionKey!);
    private readonly List<PublicKey> _verifiers = options.Value.Desk.VerificationKeys.Select(PublicKey.Load).ToList();

    public TokenOpenResult Open(string? token) => AuthResultToken.Open(token, _decrypter, _verifiers, time.GetUtcNow());

    /// <summary>Opens a stored token for display: its exp only limited delivery, not how long the agent may see it.</summary>
    public TokenOpenResult OpenStored(string token) => AuthResultToken.Open(token, _decrypter, _verifiers, time.GetUtcNow(), ignoreExpiry: true);
}
