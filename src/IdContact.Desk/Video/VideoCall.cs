using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>
/// The video call between a resident and an agent (ID Video): the desk only relays signalling (offer, answer, ICE
/// candidates) between the two sides' SignalR groups, over the Redis backplane when they are on different instances.
/// Media goes browser to browser. Nothing of the signalling is stored or logged. A singleton: it holds no typed HttpClient
/// (asking the core is the hubs' and endpoints' part, through <see cref="Identification"/>).
/// </summary>
public sealed class VideoCall(
    AppointmentStore appointments,
    ChatStore events,
    SessionStore sessions,
    OpenedResults results,
    ContactNotifier notifier,
    AppointmentNotifier appointmentNotifier,
    VideoFlood flood,
    VideoMediaFlood mediaFlood,
    IHubContext<VideoHub> residents,
    IHubContext<AgentVideoHub> agents,
    IOptions<IdContactOptions> options,
    ILogger<VideoCall> logger)
{
    public static readonly string[] SignalKinds = ["offer", "answer", "candidate"];

    public static string ResidentGroup(string tenant, string sessionId) => $"video:{tenant.ToLowerInvariant()}:{sessionId}";

    public static string AgentGroup(string tenant, string sessionId) => $"video-agent:{tenant.ToLowerInvariant()}:{sessionId}";

    /// <summary>Pushes to the other side of the call: the resident's page when <paramref name="toResident"/>, else the agent's.</summary>
    public async Task TellAsync(string tenant, string sessionId, bool toResident, string method, params object?[] args)
    {
        try
        {
            var clients = toResident ? residents.Clients.Group(ResidentGroup(tenant, sessionId)) : agents.Clients.Group(AgentGroup(tenant, sessionId));
            await clients.SendCoreAsync(method, args);
        }
        catch (Exception e)
        {
            // The backplane may be down for a moment; both pages say hello again when they reconnect.
            logger.LogWarning("Could not push a video call event: {Error}", e.GetType().Name);
        }
    }

    /// <summary>Relays one signalling message to the other side. Null when sent, else why not ("ended", "too-large", "too-many", "malformed").</summary>
    public async Task<string?> SignalAsync(string tenant, string sessionId, bool fromResident, string? kind, string? data)
    {
        if (kind is null || !SignalKinds.Contains(kind) || data is null)
        {
            return "malformed";
        }

        if (data.Length > options.Value.Desk().Video.MaxSignalLength)
        {
            return "too-large";
        }

        if (!await flood.TryTakeAsync(tenant, sessionId, fromResident))
        {
            return "too-many";
        }

        await TellAsync(tenant, sessionId, !fromResident, "signal", kind, data);
        return null;
    }

    /// <summary>
    /// One side's camera and microphone are on or off: the other side's page says so. Two flags only, nothing stored. Null
    /// when passed on, else "too-many" (the page sends its latest state again a little later).
    /// </summary>
    public async Task<string?> MediaAsync(string tenant, string sessionId, bool fromResident, bool camera, bool microphone)
    {
        if (!await mediaFlood.TryTakeAsync(tenant, sessionId, fromResident))
        {
            return "too-many";
        }

        await TellAsync(tenant, sessionId, !fromResident, "media", camera, microphone);
        return null;
    }

    /// <summary>Either side hangs up: the call ends for both, and everything of it is deleted.</summary>
    public async Task HangUpAsync(string tenant, Appointment appointment, CancellationToken ct)
    {
        await appointments.EndCallAsync(tenant, appointment, ct);
        await TellAsync(tenant, appointment.SessionId, toResident: true, "ended");
        await TellAsync(tenant, appointment.SessionId, toResident: false, "ended");
        await notifier.ChangedAsync(tenant);
        appointmentNotifier.Changed(tenant);
    }

    /// <summary>The agent asks for identification (V4): the resident's page shows the sign-in methods. False when there is nothing to ask.</summary>
    public async Task<bool> RequestIdentificationAsync(string tenant, Appointment appointment, string agentName, CancellationToken ct)
    {
        var session = await sessions.FindAsync(tenant, appointment.SessionId, ct);
        if (options.Value.Desk().StarterKey is null || session is null || results.Open(tenant, session).Status == AuthStatus.Success)
        {
            // Proven already (one proof per call), or no starter key: nothing to ask.
            return false;
        }

        // A failed attempt is cleared, so this request can bring a result of its own.
        await events.ClearResultAsync(tenant, session.Id, ct);
        await events.AddEventAsync(tenant, session.Id, ChatKinds.IdentifyRequested, agentName, ct);
        await appointments.KeepUntilEndAsync(tenant, appointment, ct);
        await TellAsync(tenant, session.Id, toResident: true, "identify");
        return true;
    }

    /// <summary>A result arrived at the call's attr_url: the agent's data panel is fetched again, the resident's dialog closes.</summary>
    public async Task ResultArrivedAsync(string tenant, string sessionId, CancellationToken ct)
    {
        var session = await sessions.FindAsync(tenant, sessionId, ct);
        if (session is null || session.State == ContactState.Waiting || await appointments.FindBySessionAsync(tenant, sessionId, ct) is not { } appointment)
        {
            // Identification at start: no call yet.
            return;
        }

        var success = results.Open(tenant, session).Status == AuthStatus.Success;
        await events.AddEventAsync(tenant, sessionId, success ? ChatKinds.Identified : ChatKinds.IdentifyFailed, null, ct);
        await appointments.KeepUntilEndAsync(tenant, appointment, ct);
        await TellAsync(tenant, sessionId, toResident: false, "details");
        await TellAsync(tenant, sessionId, toResident: true, "identified", success);
        appointmentNotifier.Changed(tenant);
    }
}

/// <summary>
/// At most <see cref="PerMinute"/> "ready"s of a call's resident page per minute (installation-wide with Redis):
/// a page says it after a reload or when its media path broke, backing off from 2 s; a loop beyond that would only make
/// the agent's page start the call again and again.
/// </summary>
public sealed class VideoReadyFlood(SharedFloodCounter shared) : PerMinuteLimiter("video-ready", () => PerMinute, shared)
{
    public const int PerMinute = 20;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId) => TakeAsync(tenant, sessionId);
}

/// <summary>
/// At most <see cref="PerMinute"/> camera/microphone states per side of a call per minute (installation-wide with Redis):
/// a page sends one per click on Camera uit or Microfoon uit and per greeting, so more is a loop or a script.
/// </summary>
public sealed class VideoMediaFlood(SharedFloodCounter shared) : PerMinuteLimiter("video-media", () => PerMinute, shared)
{
    public const int PerMinute = 30;

    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId, bool resident) => TakeAsync(tenant, $"{sessionId}:{(resident ? "r" : "a")}");
}

/// <summary>At most Desk:Video:SignalsPerMinute signalling messages per side of a call per minute (installation-wide with Redis).</summary>
public sealed class VideoFlood(IOptions<IdContactOptions> options, SharedFloodCounter shared)
    : PerMinuteLimiter("video", () => options.Value.Desk().Video.SignalsPerMinute, shared)
{
    public ValueTask<bool> TryTakeAsync(string tenant, string sessionId, bool resident) => TakeAsync(tenant, $"{sessionId}:{(resident ? "r" : "a")}");
}
