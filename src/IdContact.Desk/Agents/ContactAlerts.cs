using IdContact.Desk.Sessions;

namespace IdContact.Desk.Agents;

/// <summary>
/// Which contacts in the agent's list are worth a desktop notification and a sound when they appear (desk-alerts.js,
/// by the card's <c>data-alert</c>): a caller the exchange put in the queue, a chat the agent may take or was given,
/// and a resident in the waiting room of a video call the agent may open. Only the kind: never anything of the resident.
/// </summary>
public static class ContactAlerts
{
    public static string? Of(ContactView contact, bool chatAvailable) => contact switch
    {
        { Over: true } => null,
        { Channel: Channels.Phone, State: ContactState.Queued, ByCode: null } => "call",
        { Channel: Channels.Chat, State: ContactState.Queued } when chatAvailable => "chat",
        { Channel: Channels.Chat, State: ContactState.Active, Mine: true } => "assigned",
        { Channel: Channels.Video, State: not ContactState.Active, LeaseLeft: not null }
            when contact.Mine || (contact.TakenBy is null && contact.OnlyFor is null) => "video",
        _ => null,
    };
}
