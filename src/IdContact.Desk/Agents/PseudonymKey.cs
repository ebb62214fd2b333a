namespace IdContact.Desk.Agents;

/// <summary>
/// The municipality's key for <see cref="SubjectPseudonyms"/>: 32 random bytes, encrypted with the installation's
/// data-protection key ring, so a copy of the database alone cannot recompute a pseudonym. One row per tenant database.
/// </summary>
public sealed class PseudonymKey
{
    /// <summary>Always <see cref="Current"/>: one key for the whole audit retention.</summary>
    public int Id { get; set; }

    public string Protected { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public const int Current = 1;
}
