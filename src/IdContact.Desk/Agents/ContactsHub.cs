using System.Security.Claims;
using IdContact.Desk.Chat;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Agents;

/// <summary>
/// Pushes "contacts changed" to the agents of one tenant; the page then fetches the escaped list (P5). The open page
/// also renews the agent's presence lease for chats (<see cref="Renew"/>).
/// </summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class ContactsHub(DeskMetrics metrics, ChatStore chats) : Hub
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
        await chats.RenewOnConnectAsync(tenant, AgentId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary>Called by the open page every Desk:Chat:PresenceRenewSeconds: the agent is still there.</summary>
    public Task Renew() => chats.RenewAsync(Context.GetHttpContext()!.TenantTag(), AgentId, Context.ConnectionAborted);

    private string AgentId => Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["tenant"] is string tenant)
        {
            metrics.AgentConnected(tenant, -1);
        }

        return base.OnDisconnectedAsync(exception);
    }
}
