using IdContact.Hosting;
using IdContact.Protocol.Keys;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma;

/// <summary>The role's keys, loaded once: it signs with its own key and encrypts to the comm plugin.</summary>
public sealed class AuthIrmaKeys(IOptions<IdContactOptions> options)
{
    public PrivateKey Signer { get; } = PrivateKey.Load(options.Value.AuthIrma().SigningKey
        ?? throw new InvalidOperationException("AuthIrma:SigningKey is not configured."));

    public PublicKey Recipient { get; } = PublicKey.Load(options.Value.AuthIrma().EncryptionKey
        ?? throw new InvalidOperationException("AuthIrma:EncryptionKey is not configured."));
}
