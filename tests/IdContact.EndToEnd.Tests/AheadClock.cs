namespace IdContact.EndToEnd.Tests;

/// <summary>A clock ahead of the real one: a retention sweep on it finds contacts idle for longer than they were.</summary>
internal sealed class AheadClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
}
