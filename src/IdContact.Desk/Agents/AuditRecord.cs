namespace IdContact.Desk.Agents;

/// <summary>Who saw which session's attributes and when — never the values (X1).</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public string AgentId { get; set; } = "";

    public string AgentName { get; set; } = "";

    public string SessionId { get; set; } = "";

    public string Action { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>The actions of <see cref="AuditRecord.Action"/> written here; video's own are beside their stores.</summary>
public static class AuditActions
{
    /// <summary>A reveal of a session's data on an agent page.</summary>
    public const string View = "view";

    public const string Take = "take";

    public const string Transfer = "transfer";
}
