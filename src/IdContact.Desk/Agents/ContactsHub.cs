using System.Security.Claims;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Agents;

/// <summary>
/// Pushes "contacts changed" to the agents of one tenant; the page then fetches the escaped list (P5). The open page
/// also renews the agent's presence lease for chats (<see cref="Renew"/>). A page that only watches (the administrators'
/// Bezetting, <c>?watching=true</c>) gets the same pushes but neither renews the lease nor counts as an agent online: an
/// administrator watching the staffing is not taking contacts.
/// </summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class ContactsHub(DeskMetrics metrics, ChatStore chats, AgentReadsFlood reads) : Hub
{
    public const string ChangedMessage = "contactsChanged";

    public static string Group(string tenant) => "tenant:" + tenant.ToLowerInvariant();

    public override async Task OnConnectedAsync()
    {
        // The policy already tied the agent's tenant claim to the route's tenant.
        var tenant = Context.GetHttpContext()!.TenantTag();
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(tenant));
        if (Watching)
        {
            return;
        }

        await chats.RenewOnConnectAsync(tenant, AgentId, Context.ConnectionAborted);
        // Counted last: when OnConnectedAsync throws (the page left mid-connect), SignalR never calls OnDisconnectedAsync.
        Context.Items["tenant"] = tenant;
        metrics.AgentConnected(tenant, +1);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Answered only after <see cref="OnConnectedAsync"/> has put the connection in its tenant's group: SignalR
    /// dispatches no invocation before it, while the handshake that ends the client's <c>start()</c> completes earlier.
    /// A page that awaits it knows pushes now reach it.
    /// </summary>
    public bool Joined() => true;

    /// <summary>
    /// Called by the open page every Desk:Chat:PresenceRenewSeconds: the agent is still there. Past
    /// <see cref="AgentReadsFlood"/> (shared with the chat page's reads) nothing is written.
    /// </summary>
    public async Task Renew()
    {
        var tenant = Context.GetHttpContext()!.TenantTag();
        if (!Watching && await reads.TryTakeAsync(tenant, AgentId))
        {
            await chats.RenewAsync(tenant, AgentId, Context.ConnectionAborted);
        }
    }

    private string AgentId => Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private bool Watching => string.Equals(Context.GetHttpContext()!.Request.Query["watching"], "true", StringComparison.Ordinal);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["tenant"] is string tenant)
        {
            metrics.AgentConnected(tenant, -1);
        }

        return base.OnDisconnectedAsync(exception);
    }
}
