using System.Security.Claims;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// The agent's side of a video call (<c>?s=</c> the session): only a signed-in agent of the URL's tenant (the policy),
/// holding that appointment, within its window. Every call re-reads the appointment, so a reassigned or ended call
/// reaches nothing.
/// </summary>
[Authorize(Policy = AgentAuthorization.AgentPolicy)]
public sealed class AgentVideoHub(
    AppointmentStore appointments, VideoQueue queue, VideoCall call, IceServers ice, VideoHelloFlood helloFlood, AgentReadsFlood reads, CallLease lease, Backplane backplane, TimeProvider time, IOptions<IdContactOptions> options)
    : VideoCallHub(call, ice, backplane)
{
    public override async Task OnConnectedAsync()
    {
        Context.Items["session"] = Context.GetHttpContext()!.Request.Query["s"].ToString();
        var appointment = await CurrentAsync();
        if (appointment is null || appointments.Window(Tenant, appointment) != LinkOutcome.Open)
        {
            Context.Items.Remove("session");
            Context.Abort();
            return;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, VideoCall.AgentGroup(Tenant, appointment.SessionId));
        // The page is there (again, after a reconnect): the call counts as running (CallLease). Null when the call is not
        // active (hung up in this instant): this connection's close then leaves the lease alone.
        Context.Items[SeenKey] = await lease.RenewAsync(Tenant, appointment.SessionId, AgentId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Called by the open call page every Desk:Chat:PresenceRenewSeconds: the agent is still in the call
    /// (<see cref="CallLease"/>). A connection calling again within half that is answered without touching the database.
    /// </summary>
    public async Task StillHere()
    {
        var now = time.GetUtcNow();
        if (Context.Items.TryGetValue(RenewedKey, out var renewed) && renewed is DateTimeOffset last && now - last < options.Value.Desk().Chat.PresenceRenew / 2)
        {
            return;
        }

        Context.Items[RenewedKey] = now;
        if (Context.Items.TryGetValue("session", out var found) && found is string session
            && await lease.RenewAsync(Tenant, session, AgentId, Context.ConnectionAborted) is { } seen)
        {
            Context.Items[SeenKey] = seen;
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // Set only for a connection that was let in. Not the closing connection's token: it is cancelled now.
        if (Context.Items.TryGetValue(SeenKey, out var lastSeen) && lastSeen is DateTimeOffset seen && Context.Items.TryGetValue("session", out var found) && found is string session)
        {
            await lease.LeftAsync(Tenant, session, seen);
        }

        await base.OnDisconnectedAsync(exception);
    }

    private const string SeenKey = "seen";

    private const string RenewedKey = "renewed";

    /// <summary>
    /// The agent's camera is set up: the resident's waiting room ends and the resident answers "ready". False when the
    /// call is over. Beyond <see cref="VideoHelloFlood.PerMinute"/> a minute it is answered but not passed on.
    /// </summary>
    public async Task<bool> Hello()
    {
        if (await CurrentAsync() is not { } appointment)
        {
            return false;
        }

        if (await helloFlood.TryTakeAsync(Tenant, appointment.SessionId))
        {
            await Call.TellAsync(Tenant, appointment.SessionId, toResident: true, "agent-joined");
        }

        return true;
    }

    /// <summary>"Identificatie vragen": true when the resident was asked.</summary>
    public async Task<bool> Identify() =>
        await CurrentAsync() is { } appointment
        && await Call.RequestIdentificationAsync(Tenant, appointment, Context.User!.FindFirstValue("idcontact:name") ?? "", Context.ConnectionAborted);

    /// <summary>
    /// Asked by the call page now and then: once the appointment's slot has ended, that its time is up and whether the
    /// next resident waits (<see cref="VideoQueue.AgentNoticeAsync"/>). The call itself goes on.
    /// </summary>
    /// <remarks>Spends the agent's own reads (<see cref="AgentReadsFlood"/>, shared with the chat pages): past it, none.</remarks>
    public async Task<string?> SlotNotice() => await reads.TryTakeAsync(Tenant, AgentId) && await CurrentAsync() is { } appointment
        ? await queue.AgentNoticeAsync(Tenant, appointment, Context.GetHttpContext()!.PrefersEnglish(), Context.ConnectionAborted)
        : null;

    protected override bool Resident => false;

    protected override string Tenant => Context.GetHttpContext()!.TenantTag();

    private string AgentId => Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;

    protected override async Task<Appointment?> CurrentAsync()
    {
        var session = Context.Items["session"] as string;
        if (string.IsNullOrEmpty(session) || session.Length > 64)
        {
            return null;
        }

        var appointment = await appointments.FindBySessionAsync(Tenant, session, Context.ConnectionAborted);
        return appointment?.AgentId == AgentId ? appointment : null;
    }
}
