using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>
/// Deleting an agent's account hands back what they held (chats, taken calls, video appointments) in the same
/// transaction: colleagues can take it, the resident is told, every hand-back is audited. Once per provider; its own
/// server, because one test switches a tenant's automatic chat assignment on.
/// </summary>
public abstract class AgentDeletionTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private string Tenant => desk.TenantA;

    protected TServer Desk => desk;

    private ChatStore Chats => desk.Server.App.Services.GetRequiredService<ChatStore>();

    [Fact]
    public async Task Deleting_an_agent_hands_their_chat_call_and_video_appointment_back_to_every_colleague_audited_and_pushed()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "rel-admin", AgentAuthorization.AdminRole);
        using var leaving = await DeskAgent.SignedInAsync(desk, Tenant, "rel-leaver", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, Tenant, "rel-colleague", null);
        var leaver = (await DeskAgent.FindAsync(desk.Databases, Tenant, "rel-leaver"))!;
        var colleagueId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "rel-colleague"))!.Id;

        // The leaver holds a chat (and is available for more), a phone call they took, and a video call they opened.
        var (clientUrl, chat) = await desk.ChatTakenByAsync(Tenant, leaver);
        await Chats.SetAvailableAsync(Tenant, leaver.Id, true, CancellationToken.None);
        var call = await CallTakenByAsync(Tenant, leaver.Id);
        var booked = await desk.Appointments(TimeProvider.System).PlanAsync(Tenant, "report_move", "vertrek@example.nl", DateTimeOffset.UtcNow, leaver.Id, CancellationToken.None);
        var video = booked.Appointment.SessionId;
        Assert.Equal(HttpStatusCode.OK, (await leaving.GetAsync($"/desk/video/{video}")).StatusCode);

        // Before: the administrator is told what goes back, beside (and read with) the delete button.
        var before = await admin.ReadAsync("/desk/admin");
        Assert.Contains($"aria-describedby=\"held-{leaver.Id}\"", before);
        Assert.Contains($"id=\"held-{leaver.Id}\">Heeft nog 1 chat, 1 telefoongesprek en 1 videoafspraak; bij verwijderen gaan die terug naar de wachtrij of naar een beschikbare collega.</p>", before);
        Assert.Contains("Still holds 1 chat, 1 phone call and 1 video appointment; deleting hands them back", await admin.ReadAsync("/desk/admin?lang=en"));
        // The language choice sticks (DeskLanguage): back to Dutch for the rest.
        await admin.ReadAsync("/desk/admin?lang=nl");

        var residentLines = Channel.CreateUnbounded<string>();
        var residentStatus = Channel.CreateUnbounded<bool>();
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{Tenant}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        resident.On<JsonElement>("line", line => residentLines.Writer.TryWrite(line.GetProperty("kind").GetString()!));
        resident.On("status", () => residentStatus.Writer.TryWrite(true));
        await resident.StartAsync();
        var contactsChanged = Channel.CreateUnbounded<bool>();
        var overview = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{Tenant}/desk/hub", o => o.Cookies = colleague.CookieJar).Build();
        await using var overviewDisposal = overview.DisposedBounded();
        overview.On(ContactsHub.ChangedMessage, () => contactsChanged.Writer.TryWrite(true));
        await overview.StartAsync();
        // Whatever the set-up still had on its way is out of the way: what comes next is the deletion's.
        while (residentStatus.Reader.TryRead(out _) || contactsChanged.Reader.TryRead(out _))
        {
        }

        var deleted = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
        var page = await deleted.Content.ReadAsStringAsync();
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Verwijderd: rel-leaver. Teruggegeven, weer zichtbaar voor alle medewerkers: 1 chat, 1 telefoongesprek en 1 videoafspraak.", page);
        Assert.DoesNotContain($"held-{leaver.Id}", page);

        // The resident's page and the colleagues' pages are told at once.
        Assert.Equal(ChatKinds.HandedBack, await NextAsync(residentLines));
        Assert.True(await NextAsync(residentStatus));
        Assert.True(await NextAsync(contactsChanged));

        // Nothing open points at the deleted account any more; each hand-back is on record under its name.
        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.False(await db.Users.AnyAsync(u => u.Id == leaver.Id));
            Assert.False(await db.Sessions.AnyAsync(s => s.AgentId == leaver.Id));
            Assert.False(await db.Appointments.AnyAsync(a => a.AgentId == leaver.Id));
            Assert.False(await db.AgentPresence.AnyAsync(p => p.AgentId == leaver.Id));
            var states = await db.Sessions.Where(s => s.Id == chat || s.Id == call || s.Id == video).ToDictionaryAsync(s => s.Id, s => s.State);
            Assert.All([chat, call, video], id => Assert.Equal(ContactState.Queued, states[id]));
            var released = await db.Audit.Where(r => r.AgentName == "rel-leaver" && r.Action == AuditActions.Release).Select(r => r.SessionId).ToListAsync();
            Assert.Equal(new[] { call, chat, video }.Order(), released.Order());
            Assert.True(await db.AdminAudit.AnyAsync(r => r.AdminName == "rel-admin" && r.Action == AdminActions.Delete && r.AgentName == "rel-leaver"));
        }

        // The resident reads that a colleague takes over, and waits in the queue (at its first arrival's place).
        var residentPage = await desk.Server.Client.GetStringAsync(clientUrl);
        Assert.Contains("De vorige medewerker is niet meer beschikbaar; het gesprek gaat naar een andere collega.", residentPage);
        Assert.Contains("U wacht op een medewerker. U bent nummer ", residentPage);
        Assert.Contains("The previous agent is no longer available; the conversation goes to another colleague.", await desk.Server.Client.GetStringAsync(clientUrl + "?lang=en"));

        // A colleague takes the call and the chat, and opens the video call.
        var contacts = await colleague.ReadAsync("/desk/contacts");
        Assert.Contains($"/desk/contacts/{call}/take", contacts);
        Assert.Contains($"/desk/video/{video}", contacts);
        Assert.Contains($"/desk/appointments/{booked.Appointment.Id}/take", await colleague.ReadAsync("/desk/appointments/list"));
        await Chats.SetAvailableAsync(Tenant, colleagueId, true, CancellationToken.None);
        try
        {
            var took = await colleague.PostAsync("/desk", $"/desk/chats/{chat}/take");
            Assert.Equal($"/{Tenant}/desk/chats/{chat}", took.Headers.Location?.OriginalString);
            Assert.Contains("De vorige medewerker is niet meer beschikbaar", await colleague.ReadAsync($"/desk/chats/{chat}"));
        }
        finally
        {
            await Chats.SetAvailableAsync(Tenant, colleagueId, false, CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"/desk/video/{video}")).StatusCode);

        // The access log names the hand-backs, in Dutch and in English.
        foreach (var (query, count, label) in new[] { ("", "3 registraties", "teruggegeven (account verwijderd)"), ("&lang=en", "3 records", "handed back (account deleted)") })
        {
            var log = await admin.ReadAsync("/desk/admin/access-log?agent=rel-leaver&action=release" + query);
            Assert.Matches($"id=\"access-log-count\"[^>]*>{count}, ", log);
            Assert.All([call, chat, video], id => Assert.Contains($">{id}</a>", log));
            Assert.Contains($"<td>{label}</td>", log);
        }
    }

    [Fact]
    public async Task With_automatic_assignment_a_deleted_agents_chats_go_to_an_available_colleague_under_the_maximum_and_the_rest_to_the_queue()
    {
        var tenant = desk.TenantD;
        var chatOptions = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[tenant].Desk().Chat;
        using var admin = await DeskAgent.SignedInAsync(desk, tenant, "auto-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, tenant, "auto-leaver");
        await DeskAgent.CreateAsync(desk.Databases, tenant, "auto-away");
        using var colleague = await DeskAgent.SignedInAsync(desk, tenant, "auto-colleague", null);
        var leaver = (await DeskAgent.FindAsync(desk.Databases, tenant, "auto-leaver"))!;
        var helper = (await DeskAgent.FindAsync(desk.Databases, tenant, "auto-colleague"))!;

        // The maximum is two: the leaver holds two, the available colleague one (room for one more), the other is away.
        var (_, first) = await desk.ChatTakenByAsync(tenant, leaver);
        var (_, second) = await desk.ChatTakenByAsync(tenant, leaver);
        await desk.ChatTakenByAsync(tenant, helper);
        await Chats.SetAvailableAsync(tenant, helper.Id, true, CancellationToken.None);
        var toColleague = Channel.CreateUnbounded<(string Chat, string Kind)>();
        var colleagueChats = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{tenant}/desk/chat/hub", o => o.Cookies = colleague.CookieJar).Build();
        await using var colleagueChatsDisposal = colleagueChats.DisposedBounded();
        colleagueChats.On<string, JsonElement>("line", (id, line) => toColleague.Writer.TryWrite((id, line.GetProperty("kind").GetString()!)));
        await colleagueChats.StartAsync();

        chatOptions.AutoAssign = true;
        try
        {
            var deleted = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
            var page = await deleted.Content.ReadAsStringAsync();
            Assert.True(deleted.StatusCode == HttpStatusCode.OK, page);
            Assert.Contains("Verwijderd: auto-leaver. Teruggegeven, weer zichtbaar voor alle medewerkers: 1 chat. Direct naar een beschikbare collega: 1 chat.", page);
        }
        finally
        {
            chatOptions.AutoAssign = false;
            await Chats.SetAvailableAsync(tenant, helper.Id, false, CancellationToken.None);
        }

        var chats = new[] { (await Chats.FindAsync(tenant, first, CancellationToken.None))!, (await Chats.FindAsync(tenant, second, CancellationToken.None))! };
        var served = Assert.Single(chats, c => c.State == ContactState.Active);
        var waiting = Assert.Single(chats, c => c.State == ContactState.Queued);
        Assert.Equal(helper.Id, served.AgentId);
        Assert.Null(waiting.AgentId);
        var servedLines = await Chats.LinesAsync(tenant, served.Id, 0, CancellationToken.None);
        Assert.Equal([ChatKinds.HandedBack, ChatKinds.Joined], servedLines.Select(l => l.Kind));
        Assert.Equal("auto-colleague", servedLines[^1].AgentName);
        Assert.Equal([ChatKinds.HandedBack], (await Chats.LinesAsync(tenant, waiting.Id, 0, CancellationToken.None)).Select(l => l.Kind));

        // The colleague's open chat page gets both lines of the chat that came to them.
        Assert.Equal((served.Id, ChatKinds.HandedBack), await NextAsync(toColleague));
        Assert.Equal((served.Id, ChatKinds.Joined), await NextAsync(toColleague));

        await using var db = desk.Databases.Open(tenant);
        var trail = await db.Audit.Where(r => r.SessionId == served.Id || r.SessionId == waiting.Id).OrderBy(r => r.Id).Select(r => new { r.SessionId, r.AgentName, r.Action }).ToListAsync();
        Assert.Contains(trail, r => r.SessionId == served.Id && r.AgentName == "auto-leaver" && r.Action == AuditActions.Release);
        Assert.Contains(trail, r => r.SessionId == waiting.Id && r.AgentName == "auto-leaver" && r.Action == AuditActions.Release);
        Assert.Contains(trail, r => r.SessionId == served.Id && r.AgentName == "auto-colleague" && r.Action == AuditActions.Take);
        Assert.DoesNotContain(trail, r => r.SessionId == waiting.Id && r.AgentName != "auto-leaver");
    }

    [Fact]
    public async Task With_automatic_assignment_a_new_chat_whose_chosen_agent_is_deleted_in_that_instant_goes_to_the_next_colleague()
    {
        var tenant = desk.TenantD;
        var ct = CancellationToken.None;
        var chatOptions = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[tenant].Desk().Chat;
        await DeskAgent.CreateAsync(desk.Databases, tenant, "pick-one");
        await DeskAgent.CreateAsync(desk.Databases, tenant, "pick-two");
        var pair = new[] { (await DeskAgent.FindAsync(desk.Databases, tenant, "pick-one"))!, (await DeskAgent.FindAsync(desk.Databases, tenant, "pick-two"))! };
        await using (var db = desk.Databases.Open(tenant))
        {
            // Only these two are available, so the pick is one of them.
            await db.AgentPresence.ExecuteUpdateAsync(u => u.SetProperty(p => p.Available, false), ct);
        }

        foreach (var agent in pair)
        {
            await Chats.SetAvailableAsync(tenant, agent.Id, true, ct);
        }

        var chosen = await Chats.LeastBusyAvailableAsync(tenant, [], ct);
        var next = Assert.Single(pair, a => a.Id != chosen?.Id);
        var (_, attrUrl) = await desk.StartChatAsync(tenant);
        var id = attrUrl.Split('/').Last();

        chatOptions.AutoAssign = true;
        try
        {
            // The chosen agent's account is deleted in the very write that would give them the chat.
            await using (await AgentRaceTrigger.DeletedMidTakeAsync(desk.Databases, tenant, chosen!.Id))
            {
                await desk.Server.App.Services.GetRequiredService<ChatFlow>().ArriveAsync(tenant, (await Chats.FindAsync(tenant, id, ct))!, ct);
            }
        }
        finally
        {
            chatOptions.AutoAssign = false;
            foreach (var agent in pair)
            {
                await Chats.SetAvailableAsync(tenant, agent.Id, false, ct);
            }
        }

        // The failed write took the deletion with it (one statement); what counts is where the chat went.
        var chat = (await Chats.FindAsync(tenant, id, ct))!;
        Assert.Equal(ContactState.Active, chat.State);
        Assert.Equal(next.Id, chat.AgentId);
        var joined = Assert.Single(await Chats.LinesAsync(tenant, id, 0, ct));
        Assert.Equal((ChatKinds.Joined, next.DisplayName), (joined.Kind, joined.AgentName));
    }

    [Fact]
    public async Task An_agent_holding_nothing_is_deleted_as_before_and_an_unknown_id_or_oneself_is_refused()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "plain-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "plain-empty");
        var empty = (await DeskAgent.FindAsync(desk.Databases, Tenant, "plain-empty"))!;
        var before = await admin.ReadAsync("/desk/admin");
        Assert.DoesNotContain($"held-{empty.Id}", before);

        var deleted = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{empty.Id}/delete", ("confirmed", "yes"));
        var page = await deleted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("Verwijderd: plain-empty.</p>", page);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "plain-empty"));

        var self = (await DeskAgent.FindAsync(desk.Databases, Tenant, "plain-admin"))!;
        foreach (var id in new[] { "no-such-agent", self.Id, empty.Id })
        {
            var refused = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{id}/delete", ("confirmed", "yes"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Die medewerker kan niet worden verwijderd.", await refused.Content.ReadAsStringAsync());
        }

        Assert.NotNull(await DeskAgent.FindAsync(desk.Databases, Tenant, "plain-admin"));
        await using var db = desk.Databases.Open(Tenant);
        Assert.False(await db.Audit.AnyAsync(r => r.AgentName == "plain-empty" && r.Action == AuditActions.Release));
        Assert.Equal(1, await db.AdminAudit.CountAsync(r => r.AdminName == "plain-admin" && r.Action == AdminActions.Delete));
    }

    [Fact]
    public async Task A_deleted_agents_web_identification_of_a_caller_ends_with_its_data_instead_of_waiting_in_the_queue()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "web-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "web-leaver");
        var leaver = (await DeskAgent.FindAsync(desk.Databases, Tenant, "web-leaver"))!;
        var identification = await desk.Server.App.Services.GetRequiredService<Phone.WebCodes>().CreateAsync(Tenant, leaver, "report_move", CancellationToken.None);
        Assert.NotNull(identification);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync($"/{Tenant}/phone/attr/{identification.Id}", desk.Token("Web Beller"))).StatusCode);

        var page = await (await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"))).Content.ReadAsStringAsync();

        Assert.Contains("Identificaties van bellers beëindigd en verwijderd: 1.", page);
        await using var db = desk.Databases.Open(Tenant);
        Assert.False(await db.Sessions.AnyAsync(s => s.Id == identification.Id));
    }

    [Fact]
    public async Task When_the_deletion_cannot_be_recorded_nothing_is_handed_back_and_the_account_stays()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "atomic-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "atomic-leaver");
        var leaver = (await DeskAgent.FindAsync(desk.Databases, Tenant, "atomic-leaver"))!;
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, leaver);
        var call = await CallTakenByAsync(Tenant, leaver.Id);

        // The administrator audit is the last write of the transaction: refusing it must undo the hand-back too.
        await using (await RefusingTrigger.CreateAsync(desk.Databases, Tenant, "AdminAudit", "AgentName", "atomic-leaver"))
        {
            var failed = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
            Assert.False(failed.IsSuccessStatusCode);
        }

        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.True(await db.Users.AnyAsync(u => u.Id == leaver.Id));
            var held = await db.Sessions.Where(s => s.Id == chat || s.Id == call).ToListAsync();
            Assert.All(held, s => Assert.Equal((ContactState.Active, leaver.Id), (s.State, s.AgentId)));
            Assert.False(await db.Audit.AnyAsync(r => r.AgentId == leaver.Id && r.Action == AuditActions.Release));
            Assert.False(await db.ChatMessages.AnyAsync(m => m.SessionId == chat && m.Kind == ChatKinds.HandedBack));
        }

        // Once the database takes it, the same delete does all of it.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"))).StatusCode);
        await using var after = desk.Databases.Open(Tenant);
        Assert.False(await after.Sessions.AnyAsync(s => s.AgentId == leaver.Id));
    }

    [Fact]
    public async Task One_municipalitys_delete_touches_nothing_in_another()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, desk.TenantA, "iso-rel-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "iso-rel-leaver");
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "iso-rel-other");
        var leaver = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "iso-rel-leaver"))!;
        var other = (await DeskAgent.FindAsync(desk.Databases, desk.TenantB, "iso-rel-other"))!;
        await desk.ChatTakenByAsync(desk.TenantA, leaver);
        var (_, ownB) = await desk.ChatTakenByAsync(desk.TenantB, other);
        // B's database even holds an account with the A agent's id (as a sloppy copy would): a delete in A must not reach it.
        await using (var identity = new OfflineIdentity(desk.Databases, desk.TenantB))
        {
            Assert.True((await identity.Users.CreateAsync(new Agent { Id = leaver.Id, UserName = "iso-rel-copy", DisplayName = "Kopie" })).Succeeded);
        }

        var (_, sameIdB) = await desk.ChatTakenByAsync(desk.TenantB, other);
        var callB = await CallTakenByAsync(desk.TenantB, leaver.Id);
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            await db.Sessions.Where(s => s.Id == sameIdB).ExecuteUpdateAsync(u => u.SetProperty(s => s.AgentId, leaver.Id));
        }

        // A's administrator cannot delete B's agent: unknown in A.
        var refused = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{other.Id}/delete", ("confirmed", "yes"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"))).StatusCode);

        await using var b = desk.Databases.Open(desk.TenantB);
        Assert.True(await b.Users.AnyAsync(u => u.Id == other.Id));
        var held = await b.Sessions.Where(s => s.Id == ownB || s.Id == sameIdB || s.Id == callB).ToDictionaryAsync(s => s.Id, s => (s.State, s.AgentId));
        Assert.Equal((ContactState.Active, other.Id), held[ownB]);
        Assert.Equal((ContactState.Active, leaver.Id), held[sameIdB]);
        Assert.Equal((ContactState.Active, leaver.Id), held[callB]);
        Assert.False(await b.Audit.AnyAsync(r => r.Action == AuditActions.Release));
        Assert.False(await b.ChatMessages.AnyAsync(m => m.Kind == ChatKinds.HandedBack));
    }

    [Fact]
    public async Task A_take_by_an_agent_whose_account_was_deleted_since_it_was_read_is_refused_and_lands_on_nobody()
    {
        var ct = CancellationToken.None;
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "stale-taker");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "stale-planner");
        var stale = (await DeskAgent.FindAsync(desk.Databases, Tenant, "stale-taker"))!;
        var planner = (await DeskAgent.FindAsync(desk.Databases, Tenant, "stale-planner"))!;
        var (chat, call, appointment) = await FreeContactsAsync(planner);
        await Chats.SetAvailableAsync(Tenant, stale.Id, true, ct);

        // The deletion commits first; the takes come with the agent as read before it.
        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.Equal(1, await db.Users.Where(u => u.Id == stale.Id).ExecuteDeleteAsync());
        }

        var appointments = desk.Appointments(TimeProvider.System);
        var services = desk.Server.App.Services;
        Assert.NotEqual(TakeOutcome.Taken, await Chats.TakeAsync(Tenant, chat, stale, ct));
        Assert.Equal(Video.AssignOutcome.Gone, await services.GetRequiredService<Video.AppointmentList>().AssignAsync(Tenant, appointment.Id, stale.Id, onlyIfFree: true, ct));
        Assert.NotEqual(Video.AgentJoin.Joined, await appointments.JoinAsAgentAsync(Tenant, appointment.SessionId, stale.Id, ct));
        var planned = await Record.ExceptionAsync(() => appointments.PlanAsync(Tenant, "report_move", "nooit@example.nl", DateTimeOffset.UtcNow, stale.Id, ct));
        Assert.True(Tenants.StoreErrors.IsForeignKeyViolation(planned), planned?.ToString());
        var identification = await Record.ExceptionAsync(() => services.GetRequiredService<Phone.WebCodes>().CreateAsync(Tenant, stale, "report_move", ct));
        Assert.True(Tenants.StoreErrors.IsForeignKeyViolation(identification), identification?.ToString());

        await AssertFreeAsync(stale.Id, "stale-taker", chat, call, appointment);
    }

    [Fact]
    public async Task Taking_on_the_pages_in_the_instant_the_account_is_deleted_is_refused_with_the_pages_message_never_a_500()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "vanish-planner");
        using var taker = await DeskAgent.SignedInAsync(desk, Tenant, "vanish-taker", null);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, Tenant, "vanish-taker"))!.Id;
        var (chat, call, appointment) = await FreeContactsAsync((await DeskAgent.FindAsync(desk.Databases, Tenant, "vanish-planner"))!);
        await Chats.SetAvailableAsync(Tenant, agentId, true, CancellationToken.None);

        // Each request reads the account, which still exists; its write deletes it first (the deletion wins the race).
        await using (await AgentRaceTrigger.DeletedMidTakeAsync(desk.Databases, Tenant, agentId))
        {
            foreach (var (action, refusal) in new[]
            {
                ($"/desk/contacts/{call}/take", "/desk?message=gone"),
                ($"/desk/chats/{chat}/take", "/desk?message=chat-gone"),
                ($"/desk/appointments/{appointment.Id}/take", "/desk/appointments?message=gone"),
            })
            {
                var refused = await taker.PostAsync("/desk", action);
                Assert.Equal(HttpStatusCode.SeeOther, refused.StatusCode);
                Assert.Equal($"/{Tenant}{refusal}", refused.Headers.Location?.OriginalString);
            }

            var opened = await taker.GetAsync($"/desk/video/{appointment.SessionId}");
            Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
            // The join's write found no agent: to the page, a call it cannot open (the account is gone on the next request).
            Assert.Equal($"/{Tenant}/desk/appointments?message=call-gone", opened.Headers.Location?.OriginalString);
            var identify = await taker.PostAsync("/desk", "/desk/identify", ("purpose", "report_move"));
            Assert.Equal(HttpStatusCode.Conflict, identify.StatusCode);
        }

        await AssertFreeAsync(agentId, "vanish-taker", chat, call, appointment);
    }

    [Fact]
    public async Task A_contact_taken_after_the_hand_back_read_the_agents_makes_the_deletion_fail_whole_and_the_retry_hands_it_back()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "race-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "race-leaver");
        var leaver = (await DeskAgent.FindAsync(desk.Databases, Tenant, "race-leaver"))!;
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, leaver);
        var call = await QueuedCallAsync(Tenant);

        // The hand-back has read what the agent held (the chat); the agent takes the call before the account row goes.
        await using (await AgentRaceTrigger.TakenMidDeletionAsync(desk.Databases, Tenant, leaver.Id, call))
        {
            var refused = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
            var page = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.Conflict, page);
            Assert.Contains("race-leaver is niet verwijderd: op dat moment nam die medewerker een contact aan. Er is niets gewijzigd; probeer het opnieuw.", page);
        }

        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.True(await db.Users.AnyAsync(u => u.Id == leaver.Id));
            Assert.Equal((ContactState.Active, leaver.Id), await db.Sessions.Where(s => s.Id == chat).Select(s => new ValueTuple<ContactState, string?>(s.State, s.AgentId)).SingleAsync());
            Assert.False(await db.Audit.AnyAsync(r => r.AgentId == leaver.Id && r.Action == AuditActions.Release));
            Assert.False(await db.ChatMessages.AnyAsync(m => m.SessionId == chat && m.Kind == ChatKinds.HandedBack));
            Assert.False(await db.AdminAudit.AnyAsync(r => r.AgentId == leaver.Id && r.Action == AdminActions.Delete));

            // The take that won the race is committed: on PostgreSQL it was; SQLite serializes writers, so the deletion
            // held the lock from its start and the trigger's take stood in for it, undone with the deletion.
            await db.Sessions.Where(s => s.Id == call && s.State == ContactState.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, leaver.Id));
        }

        var retried = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
        var done = await retried.Content.ReadAsStringAsync();
        Assert.True(retried.StatusCode == HttpStatusCode.OK, done);
        Assert.Contains("Verwijderd: race-leaver. Teruggegeven, weer zichtbaar voor alle medewerkers: 1 chat en 1 telefoongesprek.", done);
        await using var after = desk.Databases.Open(Tenant);
        Assert.False(await after.Sessions.AnyAsync(s => s.AgentId == leaver.Id));
        Assert.Equal(2, await after.Sessions.CountAsync(s => (s.Id == chat || s.Id == call) && s.State == ContactState.Queued));
        Assert.Equal(2, await after.Audit.CountAsync(r => r.AgentId == leaver.Id && r.Action == AuditActions.Release));
    }

    /// <summary>A queued chat, a queued call and a video appointment (planned now by <paramref name="planner"/>, then let go) that nobody holds.</summary>
    private async Task<(string Chat, string Call, Video.Appointment Appointment)> FreeContactsAsync(Agent planner)
    {
        var (_, attrUrl) = await desk.StartChatAsync(Tenant);
        var chat = attrUrl.Split('/')[^1];
        Assert.True(await Chats.EnqueueAsync(Tenant, chat, CancellationToken.None));
        var call = await QueuedCallAsync(Tenant);
        var booked = await desk.Appointments(TimeProvider.System).PlanAsync(Tenant, "report_move", "los@example.nl", DateTimeOffset.UtcNow, planner.Id, CancellationToken.None);
        await using var db = desk.Databases.Open(Tenant);
        await db.Appointments.Where(a => a.Id == booked.Appointment.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.AgentId, (string?)null));
        return (chat, call, booked.Appointment);
    }

    /// <summary>Nothing was written for <paramref name="agentId"/>: the contacts wait for every agent, no take is on record.</summary>
    private async Task AssertFreeAsync(string agentId, string userName, string chat, string call, Video.Appointment appointment)
    {
        await using var db = desk.Databases.Open(Tenant);
        Assert.False(await db.Sessions.AnyAsync(s => s.AgentId == agentId));
        Assert.False(await db.Appointments.AnyAsync(a => a.AgentId == agentId));
        Assert.False(await db.Audit.AnyAsync(r => r.AgentName == userName));
        var sessions = await db.Sessions.Where(s => s.Id == chat || s.Id == call || s.Id == appointment.SessionId).ToDictionaryAsync(s => s.Id, s => (s.State, s.AgentId));
        Assert.Equal((ContactState.Queued, (string?)null), sessions[chat]);
        Assert.Equal((ContactState.Queued, (string?)null), sessions[call]);
        Assert.Equal((ContactState.Waiting, (string?)null), sessions[appointment.SessionId]);
        Assert.Null(await db.Appointments.Where(a => a.Id == appointment.Id).Select(a => a.AgentId).SingleAsync());
        Assert.Equal(1, await db.Sessions.CountAsync(s => s.Purpose == "report_move" && s.Channel == "video" && s.Id == appointment.SessionId));
    }

    /// <summary>A phone call that reached the queue, taken by nobody.</summary>
    private async Task<string> QueuedCallAsync(string tenant)
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(tenant);
        Assert.Equal("matched", await desk.IdentifyAsync(tenant, code, "call-" + Secrets.NewId(), null));
        return attrUrl.Split('/')[^1];
    }

    /// <summary>A phone call that reached the queue and was taken by <paramref name="agentId"/> (as after a routed take).</summary>
    private async Task<string> CallTakenByAsync(string tenant, string agentId)
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(tenant);
        Assert.Equal("matched", await desk.IdentifyAsync(tenant, code, "call-" + Secrets.NewId(), null));
        var id = attrUrl.Split('/')[^1];
        await using var db = desk.Databases.Open(tenant);
        Assert.Equal(1, await db.Sessions.Where(s => s.Id == id && s.State == ContactState.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, agentId)));
        return id;
    }

    private static async Task<T> NextAsync<T>(Channel<T> channel)
    {
        using var patience = new CancellationTokenSource(Patience);
        return await channel.Reader.ReadAsync(patience.Token);
    }
}

public sealed class SqliteAgentDeletionTests(SqliteDeskServer desk) : AgentDeletionTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresAgentDeletionTests(PostgresDeskServer server) : AgentDeletionTests<PostgresDeskServer>(server), IClassFixture<PostgresDeskServer>
{
    private const long Gate = 0x1DC0_FACE;

    /// <summary>
    /// The real race, on two connections at once, in both orders: PostgreSQL's key check (KEY SHARE on the account row)
    /// orders a chat take and the account's deletion. The deletion is held at a gate (an advisory lock the test holds)
    /// before it deletes the agent's presence row (which a take locks first, for the chat maximum) or once it has locked
    /// the account row; seen waiting in pg_locks, not guessed by time.
    /// </summary>
    [Fact]
    public async Task Under_real_concurrency_the_account_row_lock_orders_a_take_and_the_deletion_either_way()
    {
        var tenant = Desk.TenantA;
        var chats = Desk.Server.App.Services.GetRequiredService<ChatStore>();
        using var admin = await DeskAgent.SignedInAsync(Desk, tenant, "lock-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(Desk.Databases, tenant, "lock-leaver");
        var leaver = (await DeskAgent.FindAsync(Desk.Databases, tenant, "lock-leaver"))!;
        await using var db = Desk.Databases.Open(tenant);
        await using var gate = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        await gate.OpenAsync();

        // The take commits while the deletion waits before it touches the presence row or the account: the deletion
        // fails whole.
        var first = await QueuedChatAsync(tenant);
        await chats.SetAvailableAsync(tenant, leaver.Id, true, CancellationToken.None);
        await using (await GateAsync(db, gate, "AgentPresence", rowLevel: false))
        {
            var deleting = admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
            await WaitingAsync(gate, "advisory", deleting);
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(tenant, first, leaver, CancellationToken.None));
            await Sql(gate, $"SELECT pg_advisory_unlock({Gate})");
            var refused = await deleting;
            Assert.True(refused.StatusCode == HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(leaver.Id, await db.Sessions.Where(x => x.Id == first).Select(x => x.AgentId).SingleAsync());

        // The deletion locks the row first: the take's key check waits for it, then finds no account and is refused.
        var second = await QueuedChatAsync(tenant);
        await using (await GateAsync(db, gate, "AspNetUsers", rowLevel: true))
        {
            var deleting = admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
            await WaitingAsync(gate, "advisory", deleting);
            var taking = chats.TakeAsync(tenant, second, leaver, CancellationToken.None);
            await WaitingAsync(gate, "tuple' OR locktype = 'transactionid", taking);
            await Sql(gate, $"SELECT pg_advisory_unlock({Gate})");
            var deleted = await deleting;
            Assert.True(deleted.StatusCode == HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
            Assert.Equal(TakeOutcome.Gone, await taking);
        }

        var held = await db.Sessions.AsNoTracking().Where(x => x.Id == first || x.Id == second).ToListAsync();
        Assert.All(held, x => Assert.Equal((ContactState.Queued, (string?)null), (x.State, x.AgentId)));
    }

    private async Task<string> QueuedChatAsync(string tenant)
    {
        var (_, attrUrl) = await Desk.StartChatAsync(tenant);
        var id = attrUrl.Split('/')[^1];
        Assert.True(await Desk.Server.App.Services.GetRequiredService<ChatStore>().EnqueueAsync(tenant, id, CancellationToken.None));
        return id;
    }

    /// <summary>The test holds the gate; a DELETE of an account waits at it, before or after (<paramref name="rowLevel"/>) locking the row.</summary>
    private static async Task<IAsyncDisposable> GateAsync(DeskDbContext db, Npgsql.NpgsqlConnection gate, string table, bool rowLevel)
    {
        await Sql(gate, $"SELECT pg_advisory_lock({Gate})");
        await db.Database.ExecuteSqlRawAsync($"CREATE FUNCTION race_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock({Gate}); PERFORM pg_advisory_unlock({Gate}); RETURN OLD; END $$");
        var trigger = "CREATE TRIGGER race_gate BEFORE DELETE ON \"" + table + "\" FOR EACH " + (rowLevel ? "ROW" : "STATEMENT") + " EXECUTE FUNCTION race_gate()";
        await db.Database.ExecuteSqlRawAsync(trigger);
        return new Dropping(db, table);
    }

    private sealed class Dropping(DeskDbContext db, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            var drop = "DROP TRIGGER race_gate ON \"" + table + "\"";
            await db.Database.ExecuteSqlRawAsync(drop);
            await db.Database.ExecuteSqlRawAsync("DROP FUNCTION race_gate()");
        }
    }

    /// <summary>Until a lock of <paramref name="locktype"/> is waited for in this database (at most 30 s), while <paramref name="running"/> has not finished.</summary>
    private static async Task WaitingAsync(Npgsql.NpgsqlConnection gate, string locktype, Task running)
    {
        var sql = $"SELECT COUNT(*)::int FROM pg_locks WHERE (locktype = '{locktype}') AND NOT granted AND (database IS NULL OR database = (SELECT oid FROM pg_database WHERE datname = current_database()))";
        for (var i = 0; i < 300; i++)
        {
            Assert.False(running.IsCompleted, "finished without waiting: " + running.Exception?.Message);
            await using var command = new Npgsql.NpgsqlCommand(sql, gate);
            if ((int)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("nothing waited at the gate");
    }

    private static async Task Sql(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
