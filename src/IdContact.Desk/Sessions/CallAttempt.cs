namespace IdContact.Desk.Sessions;

/// <summary>Wrong codes entered on one call; the call is locked after <see cref="Max"/>.</summary>
public sealed class CallAttempt
{
    public const int Max = 3;

    public string CallId { get; set; } = "";

    public int Failures { get; set; }

    public DateTimeOffset LastAt { get; set; }
}
