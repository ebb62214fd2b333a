namespace IdContact.Desk.Sessions;

/// <summary>A result accepted somewhere in this installation; kept until the token expires, after which it is refused anyway.</summary>
public sealed class UsedResult
{
    /// <summary><see cref="Protocol.Tokens.TokenOpenResult.ReplayKey"/> of the accepted result.</summary>
    public string Key { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>
    /// Hash of the tenant and session that claimed it, so that session may claim it again when a crash came between the
    /// claim and storing the result (two databases, no shared transaction); null in rows from before this column.
    /// </summary>
    public string? Holder { get; set; }
}
