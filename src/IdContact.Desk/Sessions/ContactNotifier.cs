using System.Collections.Concurrent;
using IdContact.Desk.Agents;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Sessions;

/// <summary>
/// Tells a tenant's open agent pages that the contact list changed. Carries no personal data. Changes within
/// <see cref="Debounce"/> are told once: a burst of calls makes each agent page refresh once, not once per change.
/// </summary>
public sealed class ContactNotifier(IHubContext<ContactsHub> hub, TimeProvider time, ILogger<ContactNotifier> logger)
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.OrdinalIgnoreCase);

    public Task ChangedAsync(string tenant)
    {
        if (_pending.TryAdd(tenant, 0))
        {
            _ = TellSoonAsync(tenant);
        }

        return Task.CompletedTask;
    }

    private async Task TellSoonAsync(string tenant)
    {
        try
        {
            await Task.Delay(Debounce, time);
        }
        finally
        {
            // Cleared before sending: a change from now on is told by a next message.
            _pending.TryRemove(tenant, out _);
        }

        try
        {
            await hub.Clients.Group(ContactsHub.Group(tenant)).SendAsync(ContactsHub.ChangedMessage);
        }
        catch (Exception e)
        {
            // The backplane may be down for a moment; agent pages also refresh on reconnect.
            logger.LogWarning(e, "Could not tell the agents of tenant {Tenant} about a change", tenant);
        }
    }
}
