namespace IdContact.Desk.Sessions;

public enum ContactState
{
    /// <summary>Created; the resident has not called yet.</summary>
    Waiting,

    /// <summary>The exchange matched the code: the call waits in the queue.</summary>
    Queued,

    /// <summary>An agent took the call.</summary>
    Active,
}

/// <summary>
/// One resident contact. Attributes exist only inside <see cref="ResultToken"/>, the encrypted token as received;
/// they are decrypted only to render them for an authorised agent of this tenant.
/// </summary>
public sealed class ContactSession
{
    /// <summary>128-bit random id, part of the attr_url.</summary>
    public string Id { get; set; } = "";

    public string Channel { get; set; } = Channels.Phone;

    public string Purpose { get; set; } = "";

    public ContactState State { get; set; }

    public string? ResultToken { get; set; }

    /// <summary>The keyed pseudonym of the proven BSN, set with the result; every audit record of the session carries it.</summary>
    public string? SubjectPseudonym { get; set; }

    /// <summary>The accepted result's replay key (a hash of its signature): the same result is refused for any other session.</summary>
    public string? ResultKey { get; set; }

    /// <summary>The DTMF code while it is usable; cleared once swapped for the session secret.</summary>
    public string? Code { get; set; }

    public DateTimeOffset? CodeExpiresAt { get; set; }

    /// <summary>SHA-256 of the ≥128-bit session secret handed to the exchange on identification.</summary>
    public string? SecretHash { get; set; }

    public string? CallId { get; set; }

    /// <summary>
    /// After the match: SHA-256 over the call id and the code that matched, never the code itself. It lets the exchange's
    /// retry of that same identify (an answer lost after the swap) be recognised and answered again, for that call only.
    /// </summary>
    public string? CallCodeHash { get; set; }

    public string? AgentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>
    /// Video: when the resident's open call page (its hub connection) last said it is there, renewed every
    /// Desk:Chat:PresenceRenewSeconds; null once it closed. A lease, so it holds across instances and lapses after a crash.
    /// </summary>
    public DateTimeOffset? ResidentSeenAt { get; set; }

    /// <summary>
    /// Video: when the agent's open call page (its hub connection) last said it is there, set on opening the call and
    /// renewed every Desk:Chat:PresenceRenewSeconds; null once it closed. An active call counts as running only while this
    /// lease runs (<see cref="Video.CallLease.Running"/>), so a closed page or a dead laptop frees the call for a colleague.
    /// </summary>
    public DateTimeOffset? AgentSeenAt { get; set; }
}
