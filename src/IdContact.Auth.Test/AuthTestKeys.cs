using IdContact.Hosting;
using IdContact.Protocol.Keys;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Test;

/// <summary>The keys of the test auth plugin, loaded once: it signs with its own key and encrypts to the comm plugin.</summary>
public sealed class AuthTestKeys(IOptions<IdContactOptions> options)
{
    public PrivateKey Signer { get; } = PrivateKey.Load(options.Value.AuthTest().SigningKey
        ?? throw new InvalidOperationException("AuthTest:SigningKey is not configured."));

    public PublicKey Recipient { get; } = PublicKey.Load(options.Value.AuthTest().EncryptionKey
        ?? throw new InvalidOperationException("AuthTest:EncryptionKey is not configured."));
}
