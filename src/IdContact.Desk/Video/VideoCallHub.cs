using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace IdContact.Desk.Video;

/// <summary>
/// What both sides of a video call answer alike (<see cref="VideoHub"/> for the resident, <see cref="AgentVideoHub"/>
/// for the agent): each side says who it is, its tenant and how it finds its appointment; the rest goes to the other side.
/// </summary>
public abstract class VideoCallHub(VideoCall call, IceServers ice, Backplane backplane) : Hub
{
    /// <summary>True on the resident's side.</summary>
    protected abstract bool Resident { get; }

    protected abstract string Tenant { get; }

    protected VideoCall Call => call;

    /// <summary>The appointment this connection is on, re-read each time: null once it is over or no longer this side's.</summary>
    protected abstract Task<Appointment?> CurrentAsync();

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // Set only for a connection that was let in.
        if (Context.Items["session"] is string session)
        {
            await call.TellAsync(Tenant, session, toResident: !Resident, "left");
        }

        await base.OnDisconnectedAsync(exception);
    }

    public IReadOnlyList<IceServer> IceServers() => ice.Current();

    /// <summary>Redis is down: a greeting may not reach the other side's instance (video-call.js says so and greets again).</summary>
    public bool BackplaneDown() => backplane.Down;

    public async Task<string?> Signal(string kind, string data) =>
        await CurrentAsync() is { } appointment ? await call.SignalAsync(Tenant, appointment.SessionId, fromResident: Resident, kind, data) : "ended";

    /// <summary>This side's camera and microphone are on or off (sent on a change and on each greeting, so a reload shows the current state).</summary>
    public async Task<string?> Media(bool camera, bool microphone) =>
        await CurrentAsync() is { } appointment ? await call.MediaAsync(Tenant, appointment.SessionId, fromResident: Resident, camera, microphone) : "ended";

    public async Task HangUp()
    {
        if (await CurrentAsync() is { } appointment)
        {
            await call.HangUpAsync(Tenant, appointment, Context.ConnectionAborted);
        }
    }
}
