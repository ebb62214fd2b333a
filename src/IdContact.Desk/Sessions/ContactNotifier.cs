using IdContact.Desk.Agents;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Sessions;

/// <summary>Tells a tenant's open agent pages that the contact list changed. Carries no personal data.</summary>
public sealed class ContactNotifier(IHubContext<ContactsHub> hub)
{
    public Task ChangedAsync(string tenant) =>
        hub.Clients.Group(ContactsHub.Group(tenant)).SendAsync(ContactsHub.ChangedMessage);
}
