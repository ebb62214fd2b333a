using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Options;

namespace IdContact.Comm.Test;

/// <summary>Opens auth-result tokens with the keys of the test comm plugin, loaded once: decrypt, verify, check expiry.</summary>
public sealed class ResultReader(IOptions<IdContactOptions> options, TimeProvider time)
{
    private readonly PrivateKey _decrypter = PrivateKey.Load(options.Value.CommTest().DecryptionKey
        ?? throw new InvalidOperationException("CommTest:DecryptionKey is not configured."));

    private readonly IReadOnlyList<PublicKey> _verifiers = [.. options.Value.CommTest().VerificationKeys.Select(PublicKey.Load)];

    /// <summary>Opens a token as it arrives: expiry is checked.</summary>
    public TokenOpenResult Open(string? token) => AuthResultToken.Open(token, _decrypter, _verifiers, time.GetUtcNow());

    /// <summary>Opens a token that was accepted earlier, to show it: its 5-minute delivery window has rightly passed.</summary>
    public TokenOpenResult OpenStored(string token) =>
        AuthResultToken.Open(token, _decrypter, _verifiers, time.GetUtcNow(), ignoreExpiry: true);
}
