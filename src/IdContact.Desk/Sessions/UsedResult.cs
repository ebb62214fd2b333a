namespace IdContact.Desk.Sessions;

/// <summary>A result accepted somewhere in this installation; kept until the token expires, after which it is refused anyway.</summary>
public sealed class UsedResult
{
    /// <summary><see cref="Protocol.Tokens.TokenOpenResult.ReplayKey"/> of the accepted result.</summary>
    public string Key { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}
