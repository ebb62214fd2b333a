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
    AppointmentStore appointments, VideoCall call, IceServers ice, ChatStore events, Identification identification, VideoReadyFlood readyFlood, Backplane backplane, IOptions<IdContactOptions> options)
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
        await base.OnConnectedAsync();
    }

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

    /// <summary>The sign-in methods to offer while the agent's request for identification is open; empty otherwise.</summary>
    public async Task<IReadOnlyList<MethodOption>> IdentifyMethods() => await CurrentAsync() is { } appointment
        ? await events.PendingMethodsAsync(identification, Tenant, appointment.SessionId, appointment.Purpose, (bool)Context.Items["english"]!, Context.ConnectionAborted)
        : [];

    protected override bool Resident => true;

    protected override string Tenant => (string)Context.Items["tenant"]!;

    protected override Task<Appointment?> CurrentAsync() => appointments.FindBySessionAsync(Tenant, (string)Context.Items["session"]!, Context.ConnectionAborted);
}
