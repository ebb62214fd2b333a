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

    /// <summary>
    /// The keyed pseudonym of the resident's BSN when the session's proven data held one (<see cref="SubjectPseudonyms"/>),
    /// copied from the session when the record is saved: the access log finds one resident's records by it.
    /// </summary>
    public string? SubjectPseudonym { get; set; }

    /// <summary>The record of <paramref name="agent"/> doing <paramref name="action"/> on a session at <paramref name="at"/>.</summary>
    public static AuditRecord Of(Agent agent, string sessionId, string action, DateTimeOffset at) =>
        new() { AgentId = agent.Id, AgentName = agent.UserName ?? "", SessionId = sessionId, Action = action, At = at };
}

/// <summary>The actions of <see cref="AuditRecord.Action"/> written here; video's own are beside their stores.</summary>
public static class AuditActions
{
    /// <summary>A reveal of a session's data on an agent page.</summary>
    public const string View = "view";

    public const string Take = "take";

    public const string Transfer = "transfer";

    /// <summary>The agent's account was deleted: a contact they held went back to the queue or to a colleague.</summary>
    public const string Release = "release";

    /// <summary>None of the agent's pages was seen for Desk:Chat:HandBackAfterMinutes: a chat they held went back to the queue or to a colleague.</summary>
    public const string ReleaseAbsent = "release-absent";
}
