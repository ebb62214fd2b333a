using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>Who may join a video call's signalling, what the desk relays, and the TURN credentials it hands out.</summary>
public sealed class VideoSignallingTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    [Fact]
    public async Task Only_the_appointments_resident_in_its_window_and_the_agent_holding_it_join_and_signals_reach_the_other_side()
    {
        var (holder, holderId) = await AgentAsync(desk.TenantA);
        var booked = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        var token = booked.Link.Split('/')[^1];

        var resident = Resident(desk.TenantA, token);
        await using var residentDisposal = resident.DisposedBounded();
        Assert.True(await JoinsAsync(resident, "Ready"));
        var agent = Agent(holder, desk.TenantA, booked.Appointment.SessionId);
        await using var agentDisposal = agent.DisposedBounded();
        var toAgent = Inbox(agent);
        var toResident = Inbox(resident);
        Assert.True(await JoinsAsync(agent, "Hello"));
        Assert.Equal("agent-joined", await NextAsync(toResident));

        // Offer, answer and candidates travel between the two sides, and only there.
        Assert.Null(await resident.InvokeAsync<string?>("Signal", "candidate", "{\"round\":1}"));
        Assert.Equal("signal candidate {\"round\":1}", await NextAsync(toAgent));
        Assert.Null(await agent.InvokeAsync<string?>("Signal", "offer", "{\"round\":1,\"description\":{}}"));
        Assert.Equal("signal offer {\"round\":1,\"description\":{}}", await NextAsync(toResident));

        // Refused: a colleague who does not hold the appointment, another municipality's agent (even with its cookie
        // copied to this municipality's path), a link under another municipality, a made-up link.
        var (colleague, _) = await AgentAsync(desk.TenantA);
        {
            var other = Agent(colleague, desk.TenantA, booked.Appointment.SessionId);
            await using var otherDisposal = other.DisposedBounded();
            Assert.False(await JoinsAsync(other, "Hello"));
        }

        var (stranger, _) = await AgentAsync(desk.TenantB);
        foreach (var cookie in stranger.Cookies)
        {
            stranger.CookieJar.Add(new Cookie(cookie.Name, cookie.Value, $"/{desk.TenantA}/desk", cookie.Domain));
        }

        {
            var other = Agent(stranger, desk.TenantA, booked.Appointment.SessionId);
            await using var otherDisposal = other.DisposedBounded();
            Assert.False(await JoinsAsync(other, "Hello"));
        }

        {
            var elsewhere = Resident(desk.TenantB, token);
            await using var elsewhereDisposal = elsewhere.DisposedBounded();
            Assert.False(await JoinsAsync(elsewhere, "Ready"));
        }

        {
            var madeUp = Resident(desk.TenantA, new string('A', 43));
            await using var madeUpDisposal = madeUp.DisposedBounded();
            Assert.False(await JoinsAsync(madeUp, "Ready"));
        }

        // The colleague's call page sends them back with a message instead of taking the call.
        var page = await colleague.GetAsync($"/desk/video/{booked.Appointment.SessionId}");
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.Contains("message=call-not-yours", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True(toAgent.Reader.Count == 0 && toResident.Reader.Count == 0, "nobody refused reached the call");

        // Hang up: both sides are told, and the connections reach nothing any more.
        await resident.InvokeAsync("HangUp");
        Assert.Equal("ended", await NextAsync(toAgent));
        Assert.Equal("ended", await NextAsync(toResident));
        Assert.Equal("ended", await agent.InvokeAsync<string?>("Signal", "offer", "{}"));
        Assert.False(await resident.InvokeAsync<bool>("Ready"));

        // Nothing of the call is logged: not the link, not the signalling.
        var logs = string.Join('\n', desk.Logs.Messages);
        Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("\"round\"", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_or_cancelled_link_is_refused()
    {
        var (_, agentId) = await AgentAsync(desk.TenantA);
        var over = await Plan(desk.TenantA, agentId, DateTimeOffset.UtcNow.AddHours(-3));
        {
            var late = Resident(desk.TenantA, over.Link.Split('/')[^1]);
            await using var lateDisposal = late.DisposedBounded();
            Assert.False(await JoinsAsync(late, "Ready"));
        }

        var cancelled = await Plan(desk.TenantA, agentId, DateTimeOffset.UtcNow);
        Assert.True(await desk.Cancellation(TimeProvider.System).CancelByLinkAsync(desk.TenantA, cancelled.CancelLink.Split('/')[^1], CancellationToken.None));
        var gone = Resident(desk.TenantA, cancelled.Link.Split('/')[^1]);
        await using var goneDisposal = gone.DisposedBounded();
        Assert.False(await JoinsAsync(gone, "Ready"));
    }

    /// <summary>The limits are counted inside the hub, so they hold alike whichever transport the page fell back to.</summary>
    [Theory]
    [MemberData(nameof(AgentHubs.Transports), MemberType = typeof(AgentHubs))]
    public async Task Signals_are_size_limited_rate_limited_and_of_known_kinds_only(HttpTransportType transport)
    {
        await using var call = await CallAsync(transport);
        var (resident, agent, toAgent) = (call.Resident, call.Agent, call.ToAgent);

        var max = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Video.MaxSignalLength;
        Assert.Equal("too-large", await resident.InvokeAsync<string?>("Signal", "offer", new string('x', max + 1)));
        Assert.Equal("malformed", await resident.InvokeAsync<string?>("Signal", "script", "{}"));
        var answers = new List<string?>();
        for (var i = 0; i < DeskServer.SignalsPerMinute + 5; i++)
        {
            answers.Add(await resident.InvokeAsync<string?>("Signal", "candidate", $"{{\"n\":{i}}}"));
        }

        Assert.Equal(DeskServer.SignalsPerMinute, answers.Count(a => a is null));
        Assert.All(answers.Skip(DeskServer.SignalsPerMinute), a => Assert.Equal("too-many", a));
        for (var i = 0; i < DeskServer.SignalsPerMinute; i++)
        {
            Assert.Equal($"signal candidate {{\"n\":{i}}}", await NextAsync(toAgent));
        }

        // The limit is per side: the agent can still answer.
        Assert.Null(await agent.InvokeAsync<string?>("Signal", "answer", "{}"));
        await Task.Delay(300);
        Assert.Equal(0, toAgent.Reader.Count);
    }

    [Theory]
    [MemberData(nameof(AgentHubs.Transports), MemberType = typeof(AgentHubs))]
    public async Task A_residents_page_that_says_ready_in_a_loop_reaches_the_agent_a_limited_number_of_times_a_minute(HttpTransportType transport)
    {
        await using var call = await CallAsync(transport);
        var (resident, agent, toAgent) = (call.Resident, call.Agent, call.ToAgent);

        // The joining Ready took one of the minute's; the loop is answered (the call goes on) but no longer passed on.
        for (var i = 0; i < VideoReadyFlood.PerMinute + 5; i++)
        {
            Assert.True(await resident.InvokeAsync<bool>("Ready"));
        }

        for (var i = 1; i < VideoReadyFlood.PerMinute; i++)
        {
            Assert.Equal("ready", await NextAsync(toAgent));
        }

        // Signals still pass: only the repeats are held back.
        Assert.Null(await resident.InvokeAsync<string?>("Signal", "answer", "{}"));
        Assert.Equal("signal answer {}", await NextAsync(toAgent));
        Assert.Equal(0, toAgent.Reader.Count);
    }

    [Fact]
    public async Task An_agents_page_that_says_hello_in_a_loop_reaches_the_resident_a_limited_number_of_times_a_minute()
    {
        await using var call = await CallAsync();
        var toResident = Inbox(call.Resident);

        // Until 2026-11-29 each Hello was passed on, and the resident's page answers each with Ready and its camera state.
        // The joining Hello took one of the minute's; the loop is answered (the call goes on) but no longer passed on.
        for (var i = 0; i < VideoHelloFlood.PerMinute + 5; i++)
        {
            Assert.True(await call.Agent.InvokeAsync<bool>("Hello"));
        }

        // A signal after them arrives after every greeting they caused (one connection keeps the order of its pushes).
        Assert.Null(await call.Agent.InvokeAsync<string?>("Signal", "answer", "{}"));
        var greetings = 0;
        while (await NextAsync(toResident) is var message && message != "signal answer {}")
        {
            greetings += message == "agent-joined" ? 1 : 0;
        }

        Assert.InRange(greetings, VideoHelloFlood.PerMinute - 1, VideoHelloFlood.PerMinute);
    }

    [Fact]
    public async Task An_agents_page_asking_for_the_slot_notice_in_a_loop_spends_the_agents_reads_and_is_refused_past_them()
    {
        await using var call = await CallAsync();
        using var counted = new LimitRefusalsTests.Refusals(desk.Server.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var limit = AgentReadsFlood.PerMinute(desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceRenewSeconds);

        // Until 2026-11-29 SlotNotice (a few reads per call) had no limit; now it spends the agent's own reads.
        for (var i = 0; i < limit + 5; i++)
        {
            await call.Agent.InvokeAsync<string?>("SlotNotice");
        }

        Assert.Equal([.. Enumerable.Repeat((desk.TenantA, "agent_reads"), 5)], counted.All.Where(c => c.Tenant == desk.TenantA));
    }

    [Fact]
    public async Task A_residents_page_asking_for_the_sign_in_methods_in_a_loop_reaches_the_core_at_most_the_limit_a_minute()
    {
        await using var call = await CallAsync();
        await desk.Server.App.Services.GetRequiredService<Chat.ChatStore>().AddEventAsync(desk.TenantA, call.SessionId, Chat.ChatKinds.IdentifyRequested, "Eva", CancellationToken.None);
        var before = desk.Core.OptionsAsked;

        // Until 2026-11-29 each call while the agent's request was open asked the core's session_options.
        var offered = 0;
        for (var i = 0; i < 3 * IdentifyMethodsFlood.PerMinute; i++)
        {
            offered += (await call.Resident.InvokeAsync<List<JsonElement>>("IdentifyMethods")).Count > 0 ? 1 : 0;
        }

        Assert.InRange(offered, 1, IdentifyMethodsFlood.PerMinute);
        Assert.InRange(desk.Core.OptionsAsked - before, 1, IdentifyMethodsFlood.PerMinute);
    }

    [Fact]
    public async Task A_waiting_residents_page_asking_in_a_loop_whether_the_agent_is_still_busy_is_answered_at_most_the_limit_a_minute()
    {
        // The agent is in a call; their next resident, whose time has begun too, waits and is told they are next.
        var (_, holderId) = await AgentAsync(desk.TenantA);
        var running = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        Assert.Equal(AgentJoin.Joined, await desk.Appointments(TimeProvider.System).JoinAsAgentAsync(desk.TenantA, running.Appointment.SessionId, holderId, CancellationToken.None));
        var next = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        var resident = Resident(desk.TenantA, next.Link.Split('/')[^1]);
        await using var residentDisposal = resident.DisposedBounded();
        Assert.True(await JoinsAsync(resident, "Ready"));

        var limit = VideoWaitingFlood.PerMinute(desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceRenewSeconds);
        var told = 0;
        for (var i = 0; i < 3 * limit; i++)
        {
            told += await resident.InvokeAsync<string?>("Waiting") == "De medewerker is nog in een gesprek. U bent de volgende." ? 1 : 0;
        }

        Assert.InRange(told, 1, limit);
    }

    [Fact]
    public async Task Camera_and_microphone_states_reach_only_the_other_side_of_that_call_and_a_loop_is_held_back()
    {
        await using var call = await CallAsync();
        var toResident = Inbox(call.Resident);
        await using var other = await CallAsync();
        var toOtherResident = Inbox(other.Resident);

        // Each side's state reaches the other side of its own call, and only there.
        Assert.Null(await call.Resident.InvokeAsync<string?>("Media", false, true));
        Assert.Equal("media False True", await NextMediaAsync(call.ToAgent));
        Assert.Null(await call.Agent.InvokeAsync<string?>("Media", true, false));
        Assert.Equal("media True False", await NextMediaAsync(toResident));

        // Refused: a colleague who does not hold the appointment, a caller without a cookie, a made-up link: they never
        // get in, so they can neither send a state nor receive one.
        var (colleague, _) = await AgentAsync(desk.TenantA);
        var outsiders = new[]
        {
            Agent(colleague, desk.TenantA, call.SessionId),
            new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/video/hub?s={call.SessionId}").Build(),
            Resident(desk.TenantA, new string('A', 43)),
        };
        var toOutsiders = outsiders.Select(Inbox).ToList();
        foreach (var outsider in outsiders)
        {
            await using var outsiderDisposal = outsider.DisposedBounded();
            Assert.False(await MediaSentAsync(outsider));
        }

        Assert.Null(await call.Resident.InvokeAsync<string?>("Media", true, true));
        Assert.Equal("media True True", await NextMediaAsync(call.ToAgent));
        await Task.Delay(300);
        // (The greetings of the joins may still be on their way to the residents; no state is.)
        foreach (var inbox in toOutsiders.Concat([call.ToAgent, toResident, other.ToAgent, toOtherResident]))
        {
            while (inbox.Reader.TryRead(out var message))
            {
                Assert.DoesNotContain("media", message, StringComparison.Ordinal);
            }
        }

        // A loop is answered "too-many" past the minute's limit, per side (the page sends its latest state again later).
        var answers = new List<string?>();
        for (var i = 0; i < VideoMediaFlood.PerMinute; i++)
        {
            answers.Add(await call.Resident.InvokeAsync<string?>("Media", i % 2 == 0, true));
        }

        Assert.Equal(VideoMediaFlood.PerMinute - 2, answers.Count(a => a is null));
        Assert.All(answers.Skip(VideoMediaFlood.PerMinute - 2), a => Assert.Equal("too-many", a));
        Assert.Null(await call.Agent.InvokeAsync<string?>("Media", true, true));

        // After hang-up nothing is passed on.
        await call.Agent.InvokeAsync("HangUp");
        Assert.Equal("ended", await call.Resident.InvokeAsync<string?>("Media", false, false));
    }

    /// <summary>A connection that is let in and whose Media call is answered; a refused one is closed or never opened.</summary>
    private static async Task<bool> MediaSentAsync(HubConnection connection)
    {
        try
        {
            await connection.StartAsync();
            return await connection.InvokeAsync<string?>("Media", false, false) is null;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException or IOException
            or System.Net.WebSockets.WebSocketException or Microsoft.AspNetCore.SignalR.HubException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Turn_credentials_follow_the_coturn_scheme_verify_against_the_secret_and_expire()
    {
        var start = new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var servers = ActivatorUtilities.CreateInstance<IceServers>(desk.Server.App.Services, (TimeProvider)clock).Current();
        Assert.Equal(["stun:stun.example.nl:3478"], servers[0].Urls);
        Assert.Null(servers[0].Username);
        var turn = servers[1];
        Assert.Equal(["turn:turn.example.nl:3478?transport=udp"], turn.Urls);
        var expiry = start.AddMinutes(120).ToUnixTimeSeconds();
        Assert.StartsWith(expiry + ":", turn.Username, StringComparison.Ordinal);
        Assert.DoesNotContain(desk.TenantA, turn.Username, StringComparison.Ordinal);

        // What coturn computes: base64(HMAC-SHA1(secret, username)).
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            System.Text.Encoding.UTF8.GetBytes(DeskServer.TurnSecret), System.Text.Encoding.UTF8.GetBytes(turn.Username!)));
        Assert.Equal(expected, turn.Credential);
        Assert.True(IceServers.Verify(DeskServer.TurnSecret, turn.Username!, turn.Credential!, start.AddMinutes(119)));
        Assert.False(IceServers.Verify(DeskServer.TurnSecret, turn.Username!, turn.Credential!, start.AddMinutes(121)));
        Assert.False(IceServers.Verify("another-secret-0123456789", turn.Username!, turn.Credential!, start));
        Assert.False(IceServers.Verify(DeskServer.TurnSecret, (expiry + 3600) + turn.Username![turn.Username!.IndexOf(':')..], turn.Credential!, start));

        // Each call gets a fresh one; a page asks its hub.
        Assert.NotEqual(turn.Username, ActivatorUtilities.CreateInstance<IceServers>(desk.Server.App.Services, (TimeProvider)clock).Current()[1].Username);
        var (_, agentId) = await AgentAsync(desk.TenantA);
        var resident = Resident(desk.TenantA, (await Plan(desk.TenantA, agentId, DateTimeOffset.UtcNow)).Link.Split('/')[^1]);
        await using var residentDisposal = resident.DisposedBounded();
        Assert.True(await JoinsAsync(resident, "Ready"));
        var live = await resident.InvokeAsync<JsonElement>("IceServers");
        var user = live[1].GetProperty("username").GetString()!;
        Assert.True(IceServers.Verify(DeskServer.TurnSecret, user, live[1].GetProperty("credential").GetString()!, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task The_afspraken_list_says_waiting_only_while_the_residents_call_page_is_connected_and_renews()
    {
        var (holder, holderId) = await AgentAsync(desk.TenantA);
        // Starting a little later, so the clock moved past the lease below is still on the appointment's day.
        var booked = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow.AddMinutes(5));
        var id = booked.Appointment.Id;
        var page = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/hub?watching=true", o => o.Cookies = holder.CookieJar).Build();
        await using var pageDisposal = page.DisposedBounded();
        var changed = Channel.CreateUnbounded<bool>();
        page.On(AppointmentNotifier.ChangedMessage, () => changed.Writer.TryWrite(true));
        await page.StartAsync();
        // An unknown method is answered only after the hub's OnConnectedAsync (which joins the tenant's group) has run.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => page.InvokeAsync("NoSuchMethod"));

        // The resident opened the link (the page marks the arrival) but the page's hub connection is not there: not waiting.
        Assert.Equal(HttpStatusCode.OK, (await desk.Server.Client.GetAsync(new Uri(booked.Link).PathAndQuery)).StatusCode);
        Assert.True(await NextAsync(changed));
        Assert.Equal("Niet in de wachtkamer", await ShownStateAsync(holder, id));

        var resident = Resident(desk.TenantA, booked.Link.Split('/')[^1]);
        await using (resident.DisposedBounded())
        {
            Assert.True(await JoinsAsync(resident, "Ready"));
            Assert.True(await NextAsync(changed));
            Assert.Equal("Wacht in de wachtkamer", await ShownStateAsync(holder, id));

            // Not renewed for longer than the lease (a crashed instance, a page gone without a goodbye): not waiting.
            var lease = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceLease;
            var later = new FakeTimeProvider(DateTimeOffset.UtcNow + lease + TimeSpan.FromSeconds(1));
            Assert.False((await desk.AppointmentList(later).TodayAndComingAsync(desk.TenantA, CancellationToken.None)).Single(a => a.Id == id).Present);

            // The lease lapsed: the open page's renewal brings it back, and tells the Afspraken pages.
            await using (var db = desk.Databases.Open(desk.TenantA))
            {
                await db.Sessions.Where(s => s.Id == booked.Appointment.SessionId)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.ResidentSeenAt, DateTimeOffset.UtcNow - lease - lease));
            }

            Assert.Equal("Niet in de wachtkamer", await ShownStateAsync(holder, id));
            await resident.InvokeAsync("StillHere");
            Assert.True(await NextAsync(changed));
            Assert.Equal("Wacht in de wachtkamer", await ShownStateAsync(holder, id));
        }

        // The page closed: at once no longer waiting, and the Afspraken pages are told.
        Assert.True(await NextAsync(changed));
        Assert.Equal("Niet in de wachtkamer", await ShownStateAsync(holder, id));
    }

    [Fact]
    public async Task The_incoming_contacts_list_shows_the_waiting_room_status_of_a_video_contact_and_is_told_when_it_changes()
    {
        var (holder, holderId) = await AgentAsync(desk.TenantA);
        var booked = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        var sessionId = booked.Appointment.SessionId;
        var overview = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/hub?watching=true", o => o.Cookies = holder.CookieJar).Build();
        await using var overviewDisposal = overview.DisposedBounded();
        var changed = Channel.CreateUnbounded<bool>();
        overview.On(Agents.ContactsHub.ChangedMessage, () => changed.Writer.TryWrite(true));
        await overview.StartAsync();
        // An unknown method is answered only after the hub's OnConnectedAsync (which joins the tenant's group) has run.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => overview.InvokeAsync("NoSuchMethod"));

        // Not arrived yet: not an incoming contact at all (the Afspraken page says "Nog niet aangekomen").
        Assert.DoesNotContain(sessionId, await holder.ReadAsync("/desk/contacts"), StringComparison.Ordinal);

        // The link opened, but no call page is connected: not in the waiting room, and no lease to watch.
        Assert.Equal(HttpStatusCode.OK, (await desk.Server.Client.GetAsync(new Uri(booked.Link).PathAndQuery)).StatusCode);
        Assert.True(await NextAsync(changed));
        Assert.Equal(("Niet in de wachtkamer", null), await ListedStateAsync(holder, sessionId));
        Assert.Equal(("Not in the waiting room", null), await ListedStateAsync(holder, sessionId, english: true));

        var resident = Resident(desk.TenantA, booked.Link.Split('/')[^1]);
        await using (resident.DisposedBounded())
        {
            // The call page connected: the overview is told, and the list shows the lease's time left for its timer.
            Assert.True(await JoinsAsync(resident, "Ready"));
            Assert.True(await NextAsync(changed));
            var (shown, left) = await ListedStateAsync(holder, sessionId);
            Assert.Equal("Wacht in de wachtkamer", shown);
            var lease = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceLease;
            Assert.InRange(left!.Value, 1, (long)lease.TotalMilliseconds);
            Assert.Equal("Waiting in the waiting room", (await ListedStateAsync(holder, sessionId, english: true)).Shown);
        }

        // The page closed: told at once, and no longer waiting.
        Assert.True(await NextAsync(changed));
        Assert.Equal(("Niet in de wachtkamer", null), await ListedStateAsync(holder, sessionId));
    }

    /// <summary>The status the overview's list (Binnenkomende contacten) shows for a contact, and its data-lease-ms.</summary>
    private static async Task<(string Shown, long? LeaseMs)> ListedStateAsync(DeskAgent agent, string sessionId, bool english = false)
    {
        // Always a language: the choice is remembered.
        var html = await agent.ReadAsync("/desk/contacts?lang=" + (english ? "en" : "nl"));
        var card = html[html.IndexOf($"data-session=\"{sessionId}\"", StringComparison.Ordinal)..];
        var state = Regex.Match(card, "class=\"contact-state\"( data-lease-ms=\"(\\d+)\")?>([^<]*)<");
        Assert.True(state.Success, card);
        return (state.Groups[3].Value.Trim(), state.Groups[2].Success ? long.Parse(state.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The status an agent's Afspraken list shows for the appointment.</summary>
    private static async Task<string> ShownStateAsync(DeskAgent agent, string appointmentId)
    {
        var html = await agent.ReadAsync("/desk/appointments/list");
        var row = html[html.IndexOf($"data-appointment=\"{appointmentId}\"", StringComparison.Ordinal)..];
        return Regex.Match(row, "appointment-state\"[^>]*>([^<]*)<").Groups[1].Value.Trim();
    }

    private Task<BookedAppointment> Plan(string tenant, string agentId, DateTimeOffset start) =>
        desk.Appointments(TimeProvider.System).PlanAsync(tenant, "report_move", "video@example.nl", start, agentId, CancellationToken.None);

    private async Task<(DeskAgent Agent, string Id)> AgentAsync(string tenant)
    {
        var user = "call-" + Guid.NewGuid().ToString("N")[..8];
        await DeskAgent.CreateAsync(desk.Databases, tenant, user);
        var agent = DeskAgent.For(desk, tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        return (agent, (await DeskAgent.FindAsync(desk.Databases, tenant, user))!.Id);
    }

    [Fact]
    public async Task The_agents_call_page_renews_its_lease_over_the_hub_and_closing_it_ends_the_lease_at_once()
    {
        var (holder, holderId) = await AgentAsync(desk.TenantA);
        var booked = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        var sessionId = booked.Appointment.SessionId;
        Assert.Equal(AgentJoin.Joined, await desk.Appointments(TimeProvider.System).JoinAsAgentAsync(desk.TenantA, sessionId, holderId, CancellationToken.None));
        async Task<DateTimeOffset?> SeenAsync()
        {
            await using var db = desk.Databases.Open(desk.TenantA);
            return (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId)).AgentSeenAt;
        }

        async Task SetSeenAsync(DateTimeOffset? at)
        {
            await using var db = desk.Databases.Open(desk.TenantA);
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentSeenAt, at));
        }

        // The page's connection renews a lease that ran out (its laptop slept); a second renewal at once writes nothing.
        var page = Agent(holder, desk.TenantA, sessionId);
        await using (page.DisposedBounded())
        {
            await page.StartAsync();
            await page.InvokeAsync<object>("IceServers");
            var lapsed = DateTimeOffset.UtcNow.AddMinutes(-10);
            await SetSeenAsync(lapsed);
            await page.InvokeAsync("StillHere");
            Assert.True(await SeenAsync() > DateTimeOffset.UtcNow.AddMinutes(-1));
            await SetSeenAsync(lapsed);
            await page.InvokeAsync("StillHere");
            Assert.True(await SeenAsync() < DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        // A page that connects renews it; closing it clears it at once.
        var reopened = Agent(holder, desk.TenantA, sessionId);
        await using (reopened.DisposedBounded())
        {
            await reopened.StartAsync();
            // An invocation is answered only after OnConnectedAsync ran (the handshake's answer may come before).
            await reopened.InvokeAsync<object>("IceServers");
            Assert.True(await SeenAsync() > DateTimeOffset.UtcNow.AddMinutes(-1));
            await reopened.StopAsync();
            for (var i = 0; i < 100 && await SeenAsync() is not null; i++)
            {
                await Task.Delay(50);
            }

            Assert.Null(await SeenAsync());
        }
    }

    private HubConnection Resident(string tenant, string token, HttpTransportType transport = HttpTransportType.WebSockets) =>
        new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{tenant}/video/hub?l={token}", transport).Build();

    private HubConnection Agent(DeskAgent agent, string tenant, string sessionId, HttpTransportType transport = HttpTransportType.WebSockets) =>
        new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{tenant}/desk/video/hub?s={sessionId}", o =>
        {
            o.Cookies = agent.CookieJar;
            o.Transports = transport;
        }).Build();

    /// <summary>A call of tenant A planned for now: the resident joined (one Ready), the agent holding it said Hello.</summary>
    private async Task<Call> CallAsync(HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var (holder, holderId) = await AgentAsync(desk.TenantA);
        var booked = await Plan(desk.TenantA, holderId, DateTimeOffset.UtcNow);
        var resident = Resident(desk.TenantA, booked.Link.Split('/')[^1], transport);
        Assert.True(await JoinsAsync(resident, "Ready"));
        var agent = Agent(holder, desk.TenantA, booked.Appointment.SessionId, transport);
        var toAgent = Inbox(agent);
        Assert.True(await JoinsAsync(agent, "Hello"));
        return new Call(resident, agent, toAgent, booked.Appointment.SessionId);
    }

    private sealed record Call(HubConnection Resident, HubConnection Agent, Channel<string> ToAgent, string SessionId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Resident.DisposeBoundedAsync();
            await Agent.DisposeBoundedAsync();
        }
    }

    /// <summary>Admitted: the connection starts and its greeting is answered; a refused one is closed or never opened.</summary>
    private static async Task<bool> JoinsAsync(HubConnection connection, string greeting)
    {
        try
        {
            await connection.StartAsync();
            return await connection.InvokeAsync<bool>(greeting);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException or IOException
            or System.Net.WebSockets.WebSocketException or Microsoft.AspNetCore.SignalR.HubException)
        {
            return false;
        }
    }

    /// <summary>Everything the hub pushes to this side, as "method args…".</summary>
    private static Channel<string> Inbox(HubConnection connection)
    {
        var inbox = Channel.CreateUnbounded<string>();
        connection.On<string, string>("signal", (kind, data) => inbox.Writer.TryWrite($"signal {kind} {data}"));
        connection.On<bool, bool>("media", (camera, microphone) => inbox.Writer.TryWrite($"media {camera} {microphone}"));
        foreach (var method in new[] { "agent-joined", "ready", "ended", "identify" })
        {
            connection.On(method, () => inbox.Writer.TryWrite(method));
        }

        return inbox;
    }

    /// <summary>The next camera/microphone state, past the joins' greetings, which may still be on their way.</summary>
    private static async Task<string> NextMediaAsync(Channel<string> inbox)
    {
        while (true)
        {
            var message = await NextAsync(inbox);
            if (message.StartsWith("media", StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    private static async Task<T> NextAsync<T>(Channel<T> inbox)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await inbox.Reader.ReadAsync(timeout.Token);
    }
}
