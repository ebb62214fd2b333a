using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Agents;

/// <summary>Pushes "contacts changed" to the agents of one tenant; the page then fetches the escaped list (P5).</summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class ContactsHub(DeskMetrics metrics) : Hub
{
    public const string ChangedMessage = "contactsChanged";

    public static string Group(string tenant) => "tenant:" + tenant.ToLowerInvariant();

    public override async Task OnConnectedAsync()
    {
        // The policy already tied the agent's tenant claim to the route's tenant.
        var tenant = Context.GetHttpContext()!.TenantTag();
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(tenant));
        Context.Items["tenant"] = tenant;
        metrics.AgentConnected(tenant, +1);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["tenant"] is string tenant)
        {
            metrics.AgentConnected(tenant, -1);
        }

        return base.OnDisconnectedAsync(exception);
    }
}
