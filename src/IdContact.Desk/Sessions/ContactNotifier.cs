using System.Collections.Concurrent;
using IdContact.Desk.Agents;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Sessions;

/// <summary>
/// Tells a tenant's open agent pages that the contact list changed. Carries no personal data. A change after a quiet
/// spell is told at once (a new call shows without delay); further changes within <see cref="Debounce"/> of a message
/// are told once at its end, so a burst of calls makes each agent page refresh a few times, not once per change.
/// </summary>
public sealed class ContactNotifier(IHubContext<ContactsHub> hub, TimeProvider time, ILogger<ContactNotifier> logger)
{
    /// <summary>At most one message per tenant per this interval (the "agent sees the new call" budget is 100 ms).</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, Window> _open = new(StringComparer.OrdinalIgnoreCase);

    public Task ChangedAsync(string tenant)
    {
        while (true)
        {
            var window = new Window();
            if (_open.TryAdd(tenant, window))
            {
                _ = TellAndHoldAsync(tenant, window);
                return Task.CompletedTask;
            }

            if (_open.TryGetValue(tenant, out var open))
            {
                lock (open)
                {
                    if (!open.Closed)
                    {
                        open.Again = true;
                        return Task.CompletedTask;
                    }
                }
            }

            // The window closed meanwhile: open a new one.
        }
    }

    /// <summary>Tells now, then once more at the end of each interval in which something changed.</summary>
    private async Task TellAndHoldAsync(string tenant, Window window)
    {
        while (true)
        {
            await TellAsync(tenant);
            await Task.Delay(Debounce, time);
            lock (window)
            {
                if (!window.Again)
                {
                    window.Closed = true;
                    _open.TryRemove(new KeyValuePair<string, Window>(tenant, window));
                    return;
                }

                window.Again = false;
            }
        }
    }

    private async Task TellAsync(string tenant)
    {
        try
        {
            await hub.Clients.Group(ContactsHub.Group(tenant)).SendAsync(ContactsHub.ChangedMessage);
        }
        catch (Exception e)
        {
            // The backplane may be down for a moment; agent pages also refresh on reconnect and on a timer.
            logger.LogWarning(e, "Could not tell the agents of tenant {Tenant} about a change", tenant);
        }
    }

    private sealed class Window
    {
        public bool Again;
        public bool Closed;
    }
}
