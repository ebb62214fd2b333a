namespace IdContact.Core.Start;

/// <summary>The start request itself is wrong (4xx); thrown before any plugin is called.</summary>
public sealed class StartException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>A subject or method the tenant does not offer (any more): what an out-of-date page can ask for.</summary>
    public bool NotOffered { get; init; }
}
