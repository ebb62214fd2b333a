namespace IdContact.Desk.Agents;

/// <summary>What an agent's page shows of one contact; built only for an authorised agent of the tenant.</summary>
/// <param name="ProvenBy">Name of the sign-in method whose key vouched for the data, e.g. "Yivi".</param>
/// <param name="Mine">Taken by the agent looking at it.</param>
/// <param name="TestData">Signed by a test or development key: shown as unproven, without the external link.</param>
/// <param name="ByCode">An agent's web identification of a caller (Beller identificeren), not a call the exchange matched.</param>
/// <param name="OnlyFor">
/// Held by this colleague (their name): need to know, so the view carries no attributes, no method, no test-data mark and
/// no link, and the page says who can see the data.
/// </param>
/// <param name="LeaseLeft">Video: the resident's call page is open (in the waiting room), for this much longer unless it renews.</param>
/// <param name="Over">Video: its appointment is over (<see cref="Video.VideoOptions.IsOver"/>), so its call can no longer be opened.</param>
/// <param name="ExternalLinkWithheld">There would be a link, but not for test data: the page says so instead of hiding it silently.</param>
public sealed record ContactView(
    string Id,
    string Channel,
    string PurposeLabel,
    Sessions.ContactState State,
    IReadOnlyList<(string Label, string Value)> Attributes,
    bool AuthFailed,
    string? ProvenBy,
    bool TestData,
    string? ExternalLink,
    bool ExternalLinkWithheld,
    string? TakenBy,
    DateTimeOffset Since,
    bool Mine = false,
    WebCodeView? ByCode = null,
    string? OnlyFor = null,
    TimeSpan? LeaseLeft = null,
    bool Over = false);

/// <summary>
/// The code of an agent's web identification, for the agent who holds it only: the address and code to read out while
/// the code is live, else whether it expired or the caller is signing in.
/// </summary>
public sealed record WebCodeView(string? Code, DateTimeOffset? ExpiresAt, string Address, bool Expired);
