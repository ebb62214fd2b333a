namespace IdContact.EndToEnd.Tests;

/// <summary>
/// A clock ahead of the real one: a retention sweep on it finds contacts idle for longer than they were; a server given
/// it as its clock sees a code expire when the test moves it on.
/// </summary>
internal sealed class AheadClock(TimeSpan ahead) : TimeProvider
{
    public TimeSpan Ahead { get; set; } = ahead;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Ahead;
}
