using System.Diagnostics.CodeAnalysis;

namespace IdContact.Protocol.Tokens;

/// <summary>Either the opened result or the one-sentence reason the token was refused.</summary>
public sealed record TokenOpenResult
{
    private TokenOpenResult(AuthResult? result, string? refusal, DateTimeOffset? expiresAt)
    {
        Result = result;
        Refusal = refusal;
        ExpiresAt = expiresAt;
    }

    public AuthResult? Result { get; }

    public string? Refusal { get; }

    public DateTimeOffset? ExpiresAt { get; }

    [MemberNotNullWhen(true, nameof(Result), nameof(ExpiresAt))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsValid => Result is not null;

    public static TokenOpenResult Valid(AuthResult result, DateTimeOffset expiresAt) => new(result, null, expiresAt);

    public static TokenOpenResult Refused(string reason) => new(null, reason, null);
}
