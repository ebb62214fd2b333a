using IdContact.Desk.Agents;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Video;

/// <summary>
/// Tells a tenant's open "Afspraken" pages that the appointment list changed (booked, planned, cancelled, arrived, taken),
/// over the agents' hub and its Redis backplane. Carries no personal data: the page fetches the list again. The pages
/// also refresh on a timer, so a lost message only delays the change.
/// </summary>
public sealed class AppointmentNotifier(IHubContext<ContactsHub> hub, ILogger<AppointmentNotifier> logger)
{
    public const string ChangedMessage = "appointmentsChanged";

    /// <summary>Not awaited by the caller's request: a slow backplane must not hold up a booking.</summary>
    public void Changed(string tenant) => _ = TellAsync(tenant);

    private async Task TellAsync(string tenant)
    {
        try
        {
            await hub.Clients.Group(ContactsHub.Group(tenant)).SendAsync(ChangedMessage);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not tell the agents of tenant {Tenant} about an appointment change: {Error}", tenant, e.GetType().Name);
        }
    }
}
