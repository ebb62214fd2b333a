using System.Diagnostics.CodeAnalysis;

namespace IdContact.Protocol.Tokens;

/// <summary>Either the opened result or the one-sentence reason the token was refused.</summary>
public sealed record TokenOpenResult
{
    private TokenOpenResult(AuthResult? result, string? refusal, DateTimeOffset? expiresAt, int verifier = -1, string? replayKey = null)
    {
        Result = result;
        Refusal = refusal;
        ExpiresAt = expiresAt;
        Verifier = verifier;
        ReplayKey = replayKey;
    }

    public AuthResult? Result { get; }

    public string? Refusal { get; }

    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Index, in the list given to Open, of the trusted key whose signature matched: who vouches for the data.</summary>
    public int Verifier { get; }

    /// <summary>
    /// Index, in the decryption keys given to Open, of the key that decrypted the token; above 0 a key being retired
    /// was still needed. -1 when refused before or at decryption.
    /// </summary>
    public int Decrypter { get; init; } = -1;

    /// <summary>
    /// Identifies the signed result itself, not the token's spelling: hex SHA-256 of the canonical signature bytes.
    /// The same result re-encoded or re-encrypted has the same key, so a replay is recognised.
    /// </summary>
    public string? ReplayKey { get; }

    [MemberNotNullWhen(true, nameof(Result), nameof(ExpiresAt))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsValid => Result is not null;

    public static TokenOpenResult Valid(AuthResult result, DateTimeOffset expiresAt) => new(result, null, expiresAt);

    internal TokenOpenResult SignedBy(int verifier, string replayKey) =>
        IsValid ? new(Result, null, ExpiresAt, verifier, replayKey) : this;

    public static TokenOpenResult Refused(string reason) => new(null, reason, null);
}
