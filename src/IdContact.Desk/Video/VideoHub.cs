using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// The resident's side of a video call. It authenticates with the appointment link's token (<c>?l=</c>, as in the page
/// URL): only a link of this tenant, within its window, joins; anything else is closed. Every call re-reads the
/// appointment, so after hang-up or cancelling the connection reaches nothing.
/// </summary>
public sealed class VideoHub(
    AppointmentStore appointments, WaitingRoom waitingRoom, VideoQueue queue, VideoCall call, IceServers ice, ChatStore events, Identification identification, VideoReadyFlood readyFlood, IdentifyMethodsFlood methodLists, VideoWaitingFlood waitingFlood, Backplane backplane, IOptions<IdContactOptions> options)
    : VideoCallHub(call, ice, backplane)
{
    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext()!;
        var tenant = http.TenantTag();
        var (outcome, appointment) = options.Value.Tenants.ContainsKey(tenant)
            ? await appointments.OpenLinkAsync(tenant, http.Request.Query["l"].ToString(), Context.ConnectionAborted)
            : (LinkOutcome.Unknown, null);
        if (outcome != LinkOutcome.Open)
        {
            Context.Abort();
            return;
        }

        Context.Items["tenant"] = tenant;
        Context.Items["session"] = appointment!.SessionId;
        Context.Items["english"] = http.PrefersEnglish();
        await Groups.AddToGroupAsync(Context.ConnectionId, VideoCall.ResidentGroup(tenant, appointment.SessionId));
        // Null (another connection of theirs renewed this very instant): this one's close leaves the lease to that one.
        Context.Items[SeenKey] = await waitingRoom.SeenAsync(tenant, appointment.SessionId, TimeSpan.Zero, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Called by the open call page every Desk:Chat:PresenceRenewSeconds: the resident is still in the waiting room
    /// (<see cref="WaitingRoom"/>). A page calling faster than half that is answered without writing again.
    /// </summary>
    public async Task StillHere()
    {
        var interval = options.Value.Desk().Chat.PresenceRenew / 2;
        if (await waitingRoom.SeenAsync(Tenant, (string)Context.Items["session"]!, interval, Context.ConnectionAborted) is { } seen)
        {
            Context.Items[SeenKey] = seen;
        }
    }

    /// <summary>
    /// Asked by the waiting room on connecting and with each renewal: once the resident's slot has begun and the agent is
    /// still in another call, that they are next (or not); null otherwise (<see cref="VideoQueue.ResidentNoticeAsync"/>).
    /// Past <see cref="VideoWaitingFlood"/> null before anything is read: only a loop gets there.
    /// </summary>
    public async Task<string?> Waiting() =>
        await waitingFlood.TryTakeAsync(Tenant, (string)Context.Items["session"]!)
            ? await queue.ResidentNoticeAsync(Tenant, (string)Context.Items["session"]!, (bool)Context.Items["english"]!, Context.ConnectionAborted)
            : null;

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // Set only for a connection that was let in. Not the closing connection's token: it is cancelled now.
        if (Context.Items[SeenKey] is DateTimeOffset seen)
        {
            await waitingRoom.LeftAsync(Tenant, (string)Context.Items["session"]!, seen);
        }

        await base.OnDisconnectedAsync(exception);
    }

    private const string SeenKey = "seen";

    /// <summary>
    /// The resident's camera is set up (or refused), or their media path broke: the agent, when there, sends an offer.
    /// False when the call is over. Beyond <see cref="VideoReadyFlood.PerMinute"/> a minute it is not passed on.
    /// </summary>
    public async Task<bool> Ready()
    {
        if (await CurrentAsync() is not { } appointment)
        {
            return false;
        }

        if (await readyFlood.TryTakeAsync(Tenant, appointment.SessionId))
        {
            await Call.TellAsync(Tenant, appointment.SessionId, toResident: false, "ready");
        }

        return true;
    }

    /// <summary>
    /// The sign-in methods to offer while the agent's request for identification is open; empty otherwise, and past
    /// <see cref="IdentifyMethodsFlood"/> before anything is read or the core is asked.
    /// </summary>
    public async Task<IReadOnlyList<MethodOption>> IdentifyMethods() =>
        await methodLists.TryTakeAsync(Tenant, (string)Context.Items["session"]!) && await CurrentAsync() is { } appointment
        ? await events.PendingMethodsAsync(identification, Tenant, appointment.SessionId, appointment.Purpose, (bool)Context.Items["english"]!, Context.ConnectionAborted)
        : [];

    protected override bool Resident => true;

    protected override string Tenant => (string)Context.Items["tenant"]!;

    protected override Task<Appointment?> CurrentAsync() => appointments.FindBySessionAsync(Tenant, (string)Context.Items["session"]!, Context.ConnectionAborted);
}
