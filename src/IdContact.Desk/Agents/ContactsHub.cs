using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Agents;

/// <summary>Pushes "contacts changed" to the agents of one tenant; the page then fetches the escaped list (P5).</summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class ContactsHub : Hub
{
    public const string ChangedMessage = "contactsChanged";

    public static string Group(string tenant) => "tenant:" + tenant.ToLowerInvariant();

    public override async Task OnConnectedAsync()
    {
        // The policy already tied the agent's tenant claim to the route's tenant.
        var tenant = Context.GetHttpContext()!.TenantTag();
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(tenant));
        await base.OnConnectedAsync();
    }
}
