namespace IdContact.Desk.Agents;

/// <summary>What an agent's page shows of one contact; built only for an authorised agent of the tenant.</summary>
public sealed record ContactView(
    string Id,
    string Channel,
    string PurposeLabel,
    Sessions.ContactState State,
    IReadOnlyList<(string Label, string Value)> Attributes,
    bool AuthFailed,
    string? ExternalLink,
    string? TakenBy,
    DateTimeOffset Since);
