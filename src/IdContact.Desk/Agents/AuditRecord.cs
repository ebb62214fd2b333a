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
