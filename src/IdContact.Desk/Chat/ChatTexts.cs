namespace IdContact.Desk.Chat;

/// <summary>The chat's own sentences, Dutch first; chat.js and agent-chat.js carry the same ones for live lines.</summary>
public static class ChatTexts
{
    public static string Event(string kind, string? name, bool english) => kind switch
    {
        ChatKinds.Joined => english ? $"{name} has joined the chat." : $"{name} neemt deel aan het gesprek.",
        ChatKinds.Transferred => english ? $"The chat was handed over to {name}." : $"Het gesprek is overgedragen aan {name}.",
        ChatKinds.HandedBack => english
            ? "The previous agent is no longer available; the conversation goes to another colleague."
            : "De vorige medewerker is niet meer beschikbaar; het gesprek gaat naar een andere collega.",
        ChatKinds.IdentifyRequested => english ? "The agent asked for identification." : "De medewerker vroeg om identificatie.",
        ChatKinds.Identified => english ? "Identification succeeded." : "Identificatie gelukt.",
        ChatKinds.IdentifyFailed => english ? "Identification did not succeed." : "Identificatie is niet gelukt.",
        ChatKinds.Unreadable => english ? "[message cannot be read]" : "[bericht niet leesbaar]",
        _ => "",
    };

    public static string Status(ChatStatus status, bool english) => status.State switch
    {
        "queued" => english
            ? $"You are waiting for an agent. You are number {status.Position} in the queue."
            : $"U wacht op een medewerker. U bent nummer {status.Position} in de wachtrij.",
        "active" => english ? $"You are chatting with {status.AgentName}." : $"U chat met {status.AgentName}.",
        _ => english ? "The chat is starting." : "De chat begint.",
    };

    /// <summary>The page title for the chat's state (WCAG 2.4.2); chat.js keeps it in step as the status changes.</summary>
    public static string Title(ChatStatus status, bool english) => status.State switch
    {
        "queued" => english ? "Waiting for an agent" : "Wachten op een medewerker",
        "active" => english ? $"Chat with {status.AgentName}" : $"Chat met {status.AgentName}",
        _ => english ? "Chat" : "Chatten",
    };

    /// <param name="me">The display name of the agent viewing the page: after a hand-over the previous agent's lines
    /// are theirs by name, not "U".</param>
    public static string Sender(ChatLine line, bool english, bool forAgent, string? me = null) => line.Sender switch
    {
        "resident" => forAgent ? (english ? "Resident" : "Inwoner") : (english ? "You" : "U"),
        "agent" when forAgent && line.AgentName == me => (english ? "You" : "U") + $" ({line.AgentName})",
        "agent" => line.AgentName ?? "",
        _ => english ? "Notice" : "Melding",
    };
}
