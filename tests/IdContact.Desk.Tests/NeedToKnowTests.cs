using System.Net;
using System.Security.Cryptography;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// Need to know: an agent sees the data of contacts nobody holds yet and of their own, never of a colleague's (the
/// overview, its list, the per-call page, the chat and video panels); both databases.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    private const string OnlyForDutch = "Gegevens alleen zichtbaar voor ";

    [Fact]
    public async Task A_queued_call_shows_its_data_to_every_agent_but_a_call_a_colleague_took_only_to_them_undecrypted_and_unaudited()
    {
        using var holder = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-holder", null);
        var holderId = await AgentIdAsync("ntk-holder");
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-colleague", null);
        var colleagueId = await AgentIdAsync("ntk-colleague");

        // Queued: both see who is calling before taking it (P5), and each sight is audited.
        var (queuedCall, queuedBsn) = ("call-ntk-q-" + Secrets.NewId()[..8], NewBsn());
        await QueuedCallAsync(desk.TenantA, queuedCall, ProvenToken("Wachtende Wijnands", queuedBsn));
        var queued = await SessionOfCallAsync(queuedCall);
        foreach (var agent in new[] { holder, colleague })
        {
            var card = Card(await agent.ReadAsync("/desk/contacts"), queued);
            Assert.Contains("Wachtende Wijnands", card);
            Assert.Contains(queuedBsn, card);
            Assert.DoesNotContain(OnlyForDutch, card);
        }

        Assert.Equal(new[] { holderId, colleagueId }.Order(), (await ViewersAsync(queued)).Order());

        // Taken by the holder before anyone looked: its value holds markup, which must stay text for the holder.
        var (takenCall, takenBsn) = ("call-ntk-t-" + Secrets.NewId()[..8], NewBsn());
        await QueuedCallAsync(desk.TenantA, takenCall, ProvenToken("Noor <script>alert('ntk')</script> Alleenvoorhouder", takenBsn));
        var taken = await SessionOfCallAsync(takenCall);
        await TakenByAsync(taken, holderId);

        // The colleague's per-call page and list: the card, its state and holder, no data, nothing decrypted.
        var results = desk.Server.App.Services.GetRequiredService<OpenedResults>();
        var decryptions = results.Decryptions;
        foreach (var path in new[] { $"/desk/calls/{takenCall}", $"/desk/contacts?call={takenCall}" })
        {
            var html = await colleague.ReadAsync(path);
            AssertWithheld(html, taken, "ntk-holder", "Alleenvoorhouder", takenBsn);
            Assert.Contains("Aangenomen door ntk-holder", Card(html, taken));
        }

        Assert.Equal(decryptions, results.Decryptions);

        // The overview (page and live list) likewise; and the queued call they already saw, now taken, is withheld too.
        await TakenByAsync(queued, holderId);
        foreach (var path in new[] { "/desk", "/desk/contacts" })
        {
            var html = await colleague.ReadAsync(path);
            AssertWithheld(html, taken, "ntk-holder", "Alleenvoorhouder", takenBsn);
            AssertWithheld(html, queued, "ntk-holder", "Wachtende Wijnands", queuedBsn);
        }

        Assert.Contains("Data visible only to ntk-holder.", Card(await colleague.ReadAsync($"/desk/calls/{takenCall}?lang=en"), taken));
        await colleague.ReadAsync("/desk/contacts?lang=nl");

        // The holder sees all of it, the markup as text, the link filled with the data.
        foreach (var path in new[] { "/desk/contacts", $"/desk/calls/{takenCall}" })
        {
            var html = await holder.ReadAsync(path);
            var card = Card(html, taken);
            Assert.Contains("Noor &lt;script&gt;alert(", card);
            Assert.DoesNotContain("<script>alert(", html);
            Assert.Contains(takenBsn, card);
            Assert.Contains("Bewezen met Yivi", card);
            // P6: the municipality's own system opens in a new tab that cannot reach back into the desk.
            Assert.Contains($"href=\"https://zaken.example.nl/?bsn={takenBsn}\" target=\"_blank\" rel=\"noopener noreferrer\"", card);
            Assert.DoesNotContain(OnlyForDutch, card);
        }

        // The audit records what was shown: the holder's view, none of the colleague's.
        Assert.Equal(holderId, Assert.Single(await ViewersAsync(taken)));
    }

    [Fact]
    public async Task A_chat_shows_its_data_to_its_holder_only_the_hand_over_moves_it_and_the_hand_back_shows_it_to_all()
    {
        using var first = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-chat-a", null);
        var firstId = await AgentIdAsync("ntk-chat-a");
        using var second = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-chat-b", null);
        var secondId = await AgentIdAsync("ntk-chat-b");
        var chats = desk.Server.App.Services.GetRequiredService<ChatStore>();
        var bsn = NewBsn();
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA, ProvenToken("Sanne Overdracht", bsn));
        var id = attrUrl.Split('/').Last();
        await chats.EnqueueAsync(desk.TenantA, id, CancellationToken.None);
        var firstAgent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "ntk-chat-a"))!;
        var secondAgent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "ntk-chat-b"))!;
        await chats.SetAvailableAsync(desk.TenantA, firstId, true, CancellationToken.None);
        try
        {
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(desk.TenantA, id, firstAgent, CancellationToken.None));
            var details = await first.ReadAsync($"/desk/chats/{id}/details");
            Assert.Contains("Sanne Overdracht", details);
            // P6 beside the conversation too: the municipality's system opens in a new tab.
            Assert.Contains($"href=\"https://zaken.example.nl/?bsn={bsn}\" target=\"_blank\" rel=\"noopener noreferrer\"", details);
            Assert.Contains("Sanne Overdracht", Card(await first.ReadAsync("/desk/contacts"), id));
            AssertWithheld(await second.ReadAsync("/desk/contacts"), id, "ntk-chat-a", "Sanne Overdracht", bsn);
            // The chat's own pages were limited to their holder already.
            Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/desk/chats/{id}/details")).StatusCode);
            Assert.Equal(HttpStatusCode.SeeOther, (await second.GetAsync($"/desk/chats/{id}")).StatusCode);

            // Overdragen: the colleague sees it now, the first agent no longer.
            await chats.SetAvailableAsync(desk.TenantA, secondId, true, CancellationToken.None);
            var moved = await first.PostAsync($"/desk/chats/{id}", $"/desk/chats/{id}/transfer", ("to", secondId));
            Assert.Contains("chat-transferred", moved.Headers.Location!.ToString());
            Assert.Contains("Sanne Overdracht", await second.ReadAsync($"/desk/chats/{id}/details"));
            Assert.Contains("Sanne Overdracht", Card(await second.ReadAsync("/desk/contacts"), id));
            AssertWithheld(await first.ReadAsync("/desk/contacts"), id, "ntk-chat-b", "Sanne Overdracht", bsn);
            Assert.Equal(HttpStatusCode.NotFound, (await first.GetAsync($"/desk/chats/{id}/details")).StatusCode);

            // Handed back to the queue (as at the holder's deletion): everyone sees it again.
            await using (var db = desk.Databases.Open(desk.TenantA))
            {
                Assert.Single(await chats.ReleaseAsync(db, desk.TenantA, secondAgent, CancellationToken.None));
            }

            foreach (var agent in new[] { first, second })
            {
                var card = Card(await agent.ReadAsync("/desk/contacts"), id);
                Assert.Contains("Sanne Overdracht", card);
                Assert.DoesNotContain(OnlyForDutch, card);
            }
        }
        finally
        {
            await chats.SetAvailableAsync(desk.TenantA, firstId, false, CancellationToken.None);
            await chats.SetAvailableAsync(desk.TenantA, secondId, false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_video_appointment_shows_its_data_to_its_appointments_agent_only_and_toewijzen_moves_it()
    {
        using var planner = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-video-a", null);
        var plannerId = await AgentIdAsync("ntk-video-a");
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-video-b", null);
        var colleagueId = await AgentIdAsync("ntk-video-b");
        var appointments = desk.Appointments(TimeProvider.System);
        var booked = await appointments.PlanAsync(desk.TenantA, "report_move", $"ntk-{Guid.NewGuid():N}@example.nl", DateTimeOffset.UtcNow, plannerId, CancellationToken.None);
        var id = booked.Appointment.SessionId;
        var bsn = NewBsn();
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync($"/{desk.TenantA}/video/attr/{id}", ProvenToken("Vera Videobeller", bsn))).StatusCode);
        Assert.True(await appointments.ArriveAsync(desk.TenantA, id, CancellationToken.None));

        // Waiting for the call the planner holds (the session has no agent until someone joins): only the planner sees it.
        var plannerCard = Card(await planner.ReadAsync("/desk/contacts"), id);
        Assert.Contains("Vera Videobeller", plannerCard);
        Assert.Contains($"/desk/video/{id}", plannerCard);
        var colleagueList = await colleague.ReadAsync("/desk/contacts");
        AssertWithheld(colleagueList, id, "ntk-video-a", "Vera Videobeller", bsn);
        Assert.DoesNotContain($"/desk/video/{id}", Card(colleagueList, id)); // it would refuse them
        Assert.DoesNotContain(colleagueId, await ViewersAsync(id));
        // The call page and its data panel were limited to the appointment's agent already.
        Assert.Contains("call-not-yours", (await colleague.GetAsync($"/desk/video/{id}")).Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/desk/video/{id}/details")).StatusCode);

        // Toewijzen to the colleague: they see it, the planner no longer.
        var assigned = await planner.PostAsync("/desk/appointments", $"/desk/appointments/{booked.Appointment.Id}/assign", ("agent", colleagueId));
        Assert.Contains("message=assigned", assigned.Headers.Location!.ToString());
        Assert.Contains("Vera Videobeller", Card(await colleague.ReadAsync("/desk/contacts"), id));
        AssertWithheld(await planner.ReadAsync("/desk/contacts"), id, "ntk-video-b", "Vera Videobeller", bsn);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"/desk/video/{id}")).StatusCode);
        Assert.Contains("Vera Videobeller", await colleague.ReadAsync($"/desk/video/{id}/details"));
        Assert.Contains(colleagueId, await ViewersAsync(id));
    }

    [Fact]
    public async Task A_video_appointment_is_not_offered_to_nor_assigned_to_the_privacy_officer()
    {
        using var planner = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-video-p", null);
        var plannerId = await AgentIdAsync("ntk-video-p");
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, "ntk-video-fg", role: AgentAuthorization.PrivacyRole);
        var officerId = await AgentIdAsync("ntk-video-fg");
        var booked = await desk.Appointments(TimeProvider.System)
            .PlanAsync(desk.TenantA, "report_move", $"ntk-{Guid.NewGuid():N}@example.nl", DateTimeOffset.UtcNow, plannerId, CancellationToken.None);

        // The officer sees no contacts and could not open the call: not in the Toewijzen list, and refused if posted.
        var page = await planner.ReadAsync("/desk/appointments");
        Assert.Contains($"value=\"{plannerId}\"", page);
        Assert.DoesNotContain($"value=\"{officerId}\"", page);
        var refused = await planner.PostAsync("/desk/appointments", $"/desk/appointments/{booked.Appointment.Id}/assign", ("agent", officerId));
        Assert.Contains("message=not-an-agent", refused.Headers.Location!.ToString());
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.Equal(plannerId, (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == booked.Appointment.Id)).AgentId);
    }

    [Fact]
    public async Task A_colleagues_web_identification_shows_no_data_on_its_page_nor_its_code()
    {
        using var holder = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-webcode-a", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "ntk-webcode-b", null);
        var colleagueId = await AgentIdAsync("ntk-webcode-b");
        var (id, code) = await StartWebCodeAsync(holder);
        var bsn = NewBsn();
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync($"/{desk.TenantA}/phone/attr/{id}", ProvenToken("Willem Webcode", bsn))).StatusCode);

        Assert.Contains("Willem Webcode", Card(await holder.ReadAsync($"/desk/identify/{id}"), id));
        foreach (var path in new[] { $"/desk/identify/{id}", "/desk/contacts" })
        {
            var html = await colleague.ReadAsync(path);
            AssertWithheld(html, id, "ntk-webcode-a", "Willem Webcode", bsn);
            Assert.DoesNotContain($"{code[..4]} {code[4..]}", html);
        }

        Assert.DoesNotContain(colleagueId, await ViewersAsync(id));
    }

    /// <summary>The colleague's card is there, says whose it is, and nothing of the resident is on the page.</summary>
    private static void AssertWithheld(string html, string id, string holderName, string name, string bsn)
    {
        var card = Card(html, id);
        Assert.DoesNotContain(name, html);
        Assert.DoesNotContain(bsn, html);
        Assert.Contains(OnlyForDutch + holderName + ".", card);
        Assert.DoesNotContain("<table", card);
        Assert.DoesNotContain("Bewezen met", card);
        Assert.DoesNotContain("Testgegevens", card);
        Assert.DoesNotContain("zaken.example.nl", card);
        Assert.DoesNotContain("Niet geïdentificeerd", card);
        Assert.DoesNotContain("Identificatie mislukt", card);
    }

    /// <summary>One contact's card (or the per-call page's) of a rendered list.</summary>
    private static string Card(string html, string id)
    {
        var start = html.IndexOf($"data-session=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no card for {id}");
        return html[start..html.IndexOf("</article>", start, StringComparison.Ordinal)];
    }

    private async Task<string> AgentIdAsync(string userName) => (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, userName))!.Id;

    /// <summary>A result proven with the production key (so the external link is offered) with a BSN of its own.</summary>
    private string ProvenToken(string fullname, string bsn) => AuthResultToken.Issue(
        AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = fullname, ["bsn"] = bsn }), desk.YiviKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);

    private static string NewBsn() => RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> SessionOfCallAsync(string callId)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Sessions.Where(s => s.CallId == callId).Select(s => s.Id).SingleAsync();
    }

    /// <summary>As after a routed take (the test desk has no exchange to route to).</summary>
    private async Task TakenByAsync(string id, string agentId)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.Equal(1, await db.Sessions.Where(s => s.Id == id && s.State == ContactState.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, agentId)));
    }

    /// <summary>The agents with a view record of this session.</summary>
    private async Task<List<string>> ViewersAsync(string id)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Audit.Where(a => a.SessionId == id && a.Action == AuditActions.View).Select(a => a.AgentId).ToListAsync();
    }
}
