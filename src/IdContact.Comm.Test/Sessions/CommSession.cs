using IdContact.Protocol.Tokens;

namespace IdContact.Comm.Test.Sessions;

/// <summary>
/// One test conversation. It takes one result only (M2); the result is kept as the encrypted token as received
/// and is decrypted only to render the page.
/// </summary>
public sealed class CommSession(string tenant, string id, string purpose, DateTimeOffset expiresAt)
{
    private Received? _received;

    public string Tenant { get; } = tenant;

    public string Id { get; } = id;

    public string Purpose { get; } = purpose;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public Received? Result => Volatile.Read(ref _received);

    /// <summary>Stores the first result; false when the session already has one.</summary>
    public bool TryAttach(string token, AuthStatus status) =>
        Interlocked.CompareExchange(ref _received, new Received(token, status), null) is null;

    public sealed record Received(string Token, AuthStatus Status);
}
