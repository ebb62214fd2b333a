namespace IdContact.Desk.Sessions;

/// <summary>
/// Wrong codes counted under one key (a caller number's hash, or the whole tenant) in a window that starts at the
/// first wrong code and lasts a fixed time; the next wrong code after it starts a new window.
/// </summary>
public sealed class WrongCodeWindow
{
    public string Key { get; set; } = "";

    public DateTimeOffset WindowStart { get; set; }

    public int Count { get; set; }

    /// <summary>The tenant-wide alert was raised in this window (once per window).</summary>
    public bool Alerted { get; set; }
}
