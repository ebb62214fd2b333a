namespace IdContact.Protocol.Tokens;

public enum AuthStatus
{
    Success,
    Failed,
}

/// <summary>What an authentication produced: the proven attributes (tag → value) or a failure.</summary>
public sealed record AuthResult(AuthStatus Status, IReadOnlyDictionary<string, string> Attributes, string? SessionUrl = null)
{
    public static AuthResult Succeeded(IReadOnlyDictionary<string, string> attributes, string? sessionUrl = null) =>
        new(AuthStatus.Success, attributes, sessionUrl);

    public static AuthResult Failure(string? sessionUrl = null) =>
        new(AuthStatus.Failed, new Dictionary<string, string>(), sessionUrl);
}
