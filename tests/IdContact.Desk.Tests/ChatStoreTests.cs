using System.Net;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>The chat channel's storage and resident endpoints, run once per database provider.</summary>
public abstract class ChatStoreTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private ChatStore Chats => desk.Server.App.Services.GetRequiredService<ChatStore>();

    [Fact]
    public async Task Chat_start_gives_a_capability_page_and_attr_url_and_stores_only_the_capabilitys_hash()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantB);
        var capability = clientUrl.Split('/').Last();
        Assert.Matches($"/{desk.TenantB}/chat/c/[A-Za-z0-9_-]{{43}}$", clientUrl);
        Assert.Matches($"/{desk.TenantB}/chat/attr/[A-Za-z0-9_-]{{22}}$", attrUrl);

        await using var db = desk.Databases.Open(desk.TenantB);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == attrUrl.Split('/').Last());
        Assert.Equal("chat", session.Channel);
        Assert.Equal(Secrets.Hash(capability), session.SecretHash);
        Assert.False(await db.Sessions.AnyAsync(s => s.SecretHash == capability || s.Id == capability));
    }

    [Fact]
    public async Task With_no_agent_available_the_resident_is_told_before_the_chat_starts_with_the_alternatives()
    {
        // Tenant B has no available agent.
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantB);
        var page = await desk.Server.Client.GetStringAsync(clientUrl);
        Assert.Contains("Geen medewerker beschikbaar", page);
        // The number as residents write it; the link dials E.164.
        Assert.Contains("href=\"tel:+31202222222\">020 222 2222</a>", WebUtility.HtmlDecode(page));
        Assert.Contains("Andere manieren om ons te bereiken", page);
        var session = await Chats.FindAsync(desk.TenantB, attrUrl.Split('/').Last(), CancellationToken.None);
        Assert.Equal(ContactState.Waiting, session!.State);
    }

    [Fact]
    public async Task A_chat_is_reached_only_in_its_own_tenant_with_its_own_capability()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var inB = clientUrl.Replace($"/{desk.TenantA}/", $"/{desk.TenantB}/", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(inB)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(inB, "Hallo", Secrets.NewId())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.PostAsync(inB + "/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(clientUrl[..^4] + "AAAA")).StatusCode);
        var attrInB = attrUrl.Replace($"/{desk.TenantA}/", $"/{desk.TenantB}/", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostTokenAsync(attrInB, desk.Token("X"))).StatusCode);

        // The session id (part of attr_url, shown on agent pages) opens no chat: only the capability does.
        var id = attrUrl.Split('/').Last();
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync($"/{desk.TenantA}/chat/c/{id}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(clientUrl)).StatusCode);
    }

    [Fact]
    public async Task Long_messages_and_floods_are_refused_markup_is_kept_as_text_and_a_resend_is_stored_once()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var tooLong = await Send(clientUrl, new string('x', ChatRules.MaxLength + 1), Secrets.NewId());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("hoogstens 2000 tekens", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, (await Send(clientUrl, new string('y', ChatRules.MaxLength), Secrets.NewId())).StatusCode);

        var clientId = Secrets.NewId();
        Assert.Equal(HttpStatusCode.SeeOther, (await Send(clientUrl, "<script>alert(1)</script>", clientId)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await Send(clientUrl, "<script>alert(1)</script>", clientId)).StatusCode);
        var lines = await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None);
        Assert.Single(lines, l => l.Text == "<script>alert(1)</script>");

        // Markup is shown as text on the page (HTML-escaped by the server render), once an agent is there to chat with.
        var name = "flood-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, name);
        var agent = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, name))!;
        await Chats.SetAvailableAsync(desk.TenantA, agent.Id, true, CancellationToken.None);
        var html = await desk.Server.Client.GetStringAsync(clientUrl);
        await Chats.SetAvailableAsync(desk.TenantA, agent.Id, false, CancellationToken.None);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);

        // 30 messages a minute per chat: three sends counted so far (the resend too), so 27 more are taken.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 29; i++)
        {
            statuses.Add((await Send(clientUrl, "bericht " + i, Secrets.NewId())).StatusCode);
        }

        Assert.Equal(27, statuses.Count(s => s == HttpStatusCode.SeeOther));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses.Last());
        Assert.Equal(29, (await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_message_the_database_fails_to_store_is_a_failure_to_retry_not_an_ended_chat_and_the_retry_stores_it_once()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();
        var clientId = Secrets.NewId();

        // The database refuses this chat's lines for a moment (not a unique-index race): the store and the resident's
        // hub report a failure, which the page retries; neither may answer "the chat has ended" (null / ended).
        await using (await RefusingTrigger.CreateAsync(desk.Databases, desk.TenantA, "ChatMessages", "SessionId", id))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Chats.AddAsync(desk.TenantA, id, clientId, "resident", ChatKinds.Text, null, "Tijdens de storing", CancellationToken.None));
            await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<System.Text.Json.JsonElement>("Send", clientId, "Tijdens de storing"));
            Assert.Empty(await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None));
        }

        // Once it is back, the page's retry with the same id stores the line, and a second retry finds it.
        var sent = await hub.InvokeAsync<System.Text.Json.JsonElement>("Send", clientId, "Tijdens de storing");
        Assert.False(sent.GetProperty("ended").GetBoolean());
        var again = await hub.InvokeAsync<System.Text.Json.JsonElement>("Send", clientId, "Tijdens de storing");
        Assert.Equal(sent.GetProperty("line").GetProperty("seq").GetInt64(), again.GetProperty("line").GetProperty("seq").GetInt64());
        Assert.Single(await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None), l => l.Text == "Tijdens de storing");
    }

    [Fact]
    public async Task Ending_a_chat_deletes_its_session_result_and_messages_and_the_page_can_no_longer_be_read()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA, desk.Token("Eind Gesprek"));
        var id = attrUrl.Split('/').Last();
        await Send(clientUrl, "Mijn adres is Dorpsstraat 1", Secrets.NewId());
        Assert.NotEmpty(await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None));

        var end = await desk.Server.Client.PostAsync(clientUrl + "/end", null);
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        Assert.Contains("verwijderd", await end.Content.ReadAsStringAsync());

        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.Sessions.AnyAsync(s => s.Id == id));
        Assert.False(await db.ChatMessages.AnyAsync(m => m.SessionId == id));
        Assert.False(await db.ChatMessages.AnyAsync(m => m.Text.Contains("Dorpsstraat")));
        Assert.Equal(HttpStatusCode.NotFound, (await desk.Server.Client.GetAsync(clientUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(clientUrl, "nog iets", Secrets.NewId())).StatusCode);
    }

    [Fact]
    public async Task Retention_deletes_idle_chats_with_their_messages_and_keeps_active_ones()
    {
        var (staleUrl, staleAttr) = await desk.StartChatAsync(desk.TenantB);
        await Send(staleUrl, "oud bericht", Secrets.NewId());
        var staleId = staleAttr.Split('/').Last();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(59));
        var retention = desk.Retention(clock);
        await retention.SweepAsync(CancellationToken.None);
        Assert.NotNull(await Chats.FindAsync(desk.TenantB, staleId, CancellationToken.None));

        var (freshUrl, freshAttr) = await desk.StartChatAsync(desk.TenantB);
        var freshId = freshAttr.Split('/').Last();
        clock.Advance(TimeSpan.FromMinutes(2));
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            // The fresh chat had a message five minutes ago, by the clock the sweep reads.
            await db.Sessions.Where(s => s.Id == freshId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, clock.GetUtcNow().AddMinutes(-5)));
        }

        await Send(freshUrl, "nieuw bericht", Secrets.NewId());
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            await db.Sessions.Where(s => s.Id == freshId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, clock.GetUtcNow().AddMinutes(-5)));
        }

        Assert.True(await retention.SweepAsync(CancellationToken.None) >= 1);
        await using var after = desk.Databases.Open(desk.TenantB);
        Assert.False(await after.Sessions.AnyAsync(s => s.Id == staleId));
        Assert.False(await after.ChatMessages.AnyAsync(m => m.SessionId == staleId));
        Assert.True(await after.ChatMessages.AnyAsync(m => m.SessionId == freshId));
    }

    [Fact]
    public async Task Of_agents_racing_for_one_chat_one_gets_it_and_nobody_passes_the_maximum_or_takes_while_away()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var agents = new List<Agent>();
        foreach (var name in new[] { "race1-" + suffix, "race2-" + suffix, "race3-" + suffix })
        {
            await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, name);
            agents.Add((await DeskAgent.FindAsync(desk.Databases, desk.TenantA, name))!);
        }

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA);
            ids.Add(attrUrl.Split('/').Last());
            await Chats.EnqueueAsync(desk.TenantA, ids[^1], CancellationToken.None);
        }

        Assert.Equal(TakeOutcome.Away, await Chats.TakeAsync(desk.TenantA, ids[0], agents[0], CancellationToken.None));
        foreach (var agent in agents)
        {
            await Chats.SetAvailableAsync(desk.TenantA, agent.Id, true, CancellationToken.None);
        }

        var outcomes = await Task.WhenAll(agents.Select(a => Chats.TakeAsync(desk.TenantA, ids[0], a, CancellationToken.None)));
        Assert.Single(outcomes, o => o == TakeOutcome.Taken);
        Assert.Equal(2, outcomes.Count(o => o == TakeOutcome.Gone));

        // MaxChatsPerAgent is 2 here: the winner takes one more, then is full; a colleague still can.
        var winner = agents[Array.IndexOf(outcomes, TakeOutcome.Taken)];
        Assert.Equal(TakeOutcome.Taken, await Chats.TakeAsync(desk.TenantA, ids[1], winner, CancellationToken.None));
        Assert.Equal(TakeOutcome.Full, await Chats.TakeAsync(desk.TenantA, ids[2], winner, CancellationToken.None));
        Assert.Equal(TakeOutcome.Taken, await Chats.TakeAsync(desk.TenantA, ids[2], agents.First(a => a != winner), CancellationToken.None));
        var held = await Task.WhenAll(agents.Select(a => Chats.ChatsOfAsync(desk.TenantA, a.Id, CancellationToken.None)));
        Assert.All(held, h => Assert.True(h.Count <= 2));
        foreach (var agent in agents)
        {
            await Chats.SetAvailableAsync(desk.TenantA, agent.Id, false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_result_during_the_chat_is_taken_once_and_a_failed_one_can_be_followed_by_another_after_a_new_request()
    {
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var failed = Protocol.Tokens.AuthResultToken.Issue(Protocol.Tokens.AuthResult.Failure(), desk.TestKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, failed)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(attrUrl, desk.Token("Te Vroeg Tweede"))).StatusCode);

        // The agent asks again: the failed result is cleared, and this request takes one result.
        await Chats.ClearResultAsync(desk.TenantA, id, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Tweede Poging"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(attrUrl, desk.Token("Derde Poging"))).StatusCode);
    }

    [Fact]
    public async Task Only_the_agent_holding_a_chat_opens_it_and_an_agent_of_another_tenant_reaches_nothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string holder = "holder-" + suffix, other = "other-" + suffix;
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, holder);
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, other);
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, holder);
        var holding = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, holder))!;
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA, desk.Token("Alleen Voor Houder"));
        var id = attrUrl.Split('/').Last();
        await Chats.EnqueueAsync(desk.TenantA, id, CancellationToken.None);
        await Chats.SetAvailableAsync(desk.TenantA, holding.Id, true, CancellationToken.None);
        Assert.Equal(TakeOutcome.Taken, await Chats.TakeAsync(desk.TenantA, id, holding, CancellationToken.None));
        await Chats.SetAvailableAsync(desk.TenantA, holding.Id, false, CancellationToken.None);

        using var owner = DeskAgent.For(desk, desk.TenantA);
        await owner.SignInAsync(holder);
        var page = await owner.GetAsync($"/desk/chats/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Alleen Voor Houder", html);

        // The municipality's standard texts, as attribute and label text: escaped, nothing of them runs.
        Assert.Contains("data-text=\"Goedendag &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; welkom\"", html);
        Assert.Contains(">Begroeting &lt;i&gt;</button>", html);

        using var colleague = DeskAgent.For(desk, desk.TenantA);
        await colleague.SignInAsync(other);
        Assert.Equal(HttpStatusCode.SeeOther, (await colleague.GetAsync($"/desk/chats/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/desk/chats/{id}/details")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await colleague.PostAsync("/desk", $"/desk/chats/{id}/end")).StatusCode);
        Assert.NotNull(await Chats.FindAsync(desk.TenantA, id, CancellationToken.None));

        // An agent of tenant B with the same name, and its cookie at tenant A's URL, see nothing of it.
        using var stranger = DeskAgent.For(desk, desk.TenantB);
        await stranger.SignInAsync(holder);
        Assert.Equal(HttpStatusCode.SeeOther, (await stranger.GetAsync($"/desk/chats/{id}")).StatusCode);
        var viaA = await stranger.Client.GetAsync($"/{desk.TenantA}/desk/chats/{id}/details");
        Assert.NotEqual(HttpStatusCode.OK, viaA.StatusCode);
        Assert.DoesNotContain("Alleen Voor Houder", await viaA.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chat_is_handed_over_only_to_an_available_colleague_with_its_history_and_the_resident_is_told()
    {
        var flow = desk.Server.App.Services.GetRequiredService<ChatFlow>();
        var (from, to) = (await NewAgentAsync(desk.TenantC, "from"), await NewAgentAsync(desk.TenantC, "to"));
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantC, desk.Token("Overdracht Persoon"));
        var id = attrUrl.Split('/').Last();
        await Chats.EnqueueAsync(desk.TenantC, id, CancellationToken.None);
        await Chats.SetAvailableAsync(desk.TenantC, from.Id, true, CancellationToken.None);
        Assert.Equal(TakeOutcome.Taken, await flow.TakeAsync(desk.TenantC, id, from, CancellationToken.None));

        // The colleague is away: no hand-over.
        Assert.Null(await flow.TransferAsync(desk.TenantC, id, from, to.Id, CancellationToken.None));
        await Chats.SetAvailableAsync(desk.TenantC, to.Id, true, CancellationToken.None);
        Assert.Equal(to.Id, (await flow.TransferAsync(desk.TenantC, id, from, to.Id, CancellationToken.None))?.Id);

        var chat = await Chats.FindAsync(desk.TenantC, id, CancellationToken.None);
        Assert.Equal(to.Id, chat!.AgentId);
        Assert.NotNull(chat.ResultToken);
        var lines = await Chats.LinesAsync(desk.TenantC, id, 0, CancellationToken.None);
        Assert.Equal([ChatKinds.Joined, ChatKinds.Transferred], lines.Select(l => l.Kind));
        Assert.Equal(to.DisplayName, lines[1].AgentName);
        // The former holder can no longer hand it on.
        Assert.Null(await flow.TransferAsync(desk.TenantC, id, from, to.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Hand_overs_to_one_colleague_at_the_same_moment_never_put_them_over_the_maximum()
    {
        // MaxChatsPerAgent is 2: eight agents hand their chat to one idle colleague at once, in rounds; two get through each time.
        for (var round = 0; round < 3; round++)
        {
            var to = await NewAgentAsync(desk.TenantC, "busy-to");
            await Chats.SetAvailableAsync(desk.TenantC, to.Id, true, CancellationToken.None);
            var holders = new List<(Agent From, string Id)>();
            for (var i = 0; i < 8; i++)
            {
                var from = await NewAgentAsync(desk.TenantC, "busy-from");
                var (_, attrUrl) = await desk.StartChatAsync(desk.TenantC);
                var id = attrUrl.Split('/').Last();
                await Chats.EnqueueAsync(desk.TenantC, id, CancellationToken.None);
                await Chats.SetAvailableAsync(desk.TenantC, from.Id, true, CancellationToken.None);
                Assert.Equal(TakeOutcome.Taken, await Chats.TakeAsync(desk.TenantC, id, from, CancellationToken.None));
                await Chats.SetAvailableAsync(desk.TenantC, from.Id, false, CancellationToken.None);
                holders.Add((from, id));
            }

            var handed = await Task.WhenAll(holders.Select(h => Task.Run(() => Chats.TransferAsync(desk.TenantC, h.Id, h.From, to.Id, CancellationToken.None))));
            await Chats.SetAvailableAsync(desk.TenantC, to.Id, false, CancellationToken.None);
            Assert.Equal(2, (await Chats.ChatsOfAsync(desk.TenantC, to.Id, CancellationToken.None)).Count);
            Assert.Equal(2, handed.Count(a => a is not null));
        }
    }

    [Fact]
    public async Task Chats_given_to_one_agent_at_the_same_moment_never_put_them_over_the_maximum()
    {
        // MaxChatsPerAgent is 2: eight queued chats taken for one agent at once (as automatic assignment does when
        // residents arrive together), in rounds; two are taken each time, the rest find the agent full.
        for (var round = 0; round < 3; round++)
        {
            var agent = await NewAgentAsync(desk.TenantC, "many");
            var ids = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var (_, attrUrl) = await desk.StartChatAsync(desk.TenantC);
                ids.Add(attrUrl.Split('/').Last());
                await Chats.EnqueueAsync(desk.TenantC, ids[^1], CancellationToken.None);
            }

            await Chats.SetAvailableAsync(desk.TenantC, agent.Id, true, CancellationToken.None);
            var outcomes = await Task.WhenAll(ids.Select(id => Task.Run(() => Chats.TakeAsync(desk.TenantC, id, agent, CancellationToken.None))));
            await Chats.SetAvailableAsync(desk.TenantC, agent.Id, false, CancellationToken.None);
            Assert.Equal(2, (await Chats.ChatsOfAsync(desk.TenantC, agent.Id, CancellationToken.None)).Count);
            Assert.Equal(2, outcomes.Count(o => o == TakeOutcome.Taken));
            Assert.Equal(6, outcomes.Count(o => o == TakeOutcome.Full));
            foreach (var id in ids)
            {
                await Chats.EndAsync(desk.TenantC, id, CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task An_agent_made_data_protection_officer_takes_no_chat_while_their_presence_lease_still_runs()
    {
        // The role closes their hub connections, but the presence row they renewed stays "available" for up to a lease:
        // the officer opens no contact, so no chat may be handed over or assigned to them meanwhile.
        var flow = desk.Server.App.Services.GetRequiredService<ChatFlow>();
        var (from, officer) = (await NewAgentAsync(desk.TenantC, "from"), await NewAgentAsync(desk.TenantC, "new-po"));
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantC, desk.Token("Functionaris Persoon"));
        var id = attrUrl.Split('/').Last();
        await Chats.EnqueueAsync(desk.TenantC, id, CancellationToken.None);
        await Chats.SetAvailableAsync(desk.TenantC, from.Id, true, CancellationToken.None);
        Assert.Equal(TakeOutcome.Taken, await flow.TakeAsync(desk.TenantC, id, from, CancellationToken.None));
        await Chats.SetAvailableAsync(desk.TenantC, officer.Id, true, CancellationToken.None);
        await using (var identity = new Admin.OfflineIdentity(desk.Databases, desk.TenantC))
        {
            await identity.Users.AddToRoleAsync((await identity.Users.FindByIdAsync(officer.Id))!, AgentAuthorization.PrivacyRole);
        }

        Assert.DoesNotContain(await Chats.OtherAvailableAgentsAsync(desk.TenantC, from.Id, CancellationToken.None), a => a.Id == officer.Id);
        Assert.Null(await flow.TransferAsync(desk.TenantC, id, from, officer.Id, CancellationToken.None));
        Assert.NotEqual(officer.Id, (await Chats.LeastBusyAvailableAsync(desk.TenantC, [], CancellationToken.None))?.Id);
        Assert.Equal(from.Id, (await Chats.FindAsync(desk.TenantC, id, CancellationToken.None))!.AgentId);
    }

    [Fact]
    public async Task With_automatic_assignment_a_new_chat_goes_to_the_least_busy_available_agent()
    {
        var chat = desk.Server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.IdContactOptions>>().Value.Tenants[desk.TenantD].Desk().Chat;
        var flow = desk.Server.App.Services.GetRequiredService<ChatFlow>();
        var (busy, idle, away) = (await NewAgentAsync(desk.TenantD, "busy"), await NewAgentAsync(desk.TenantD, "idle"), await NewAgentAsync(desk.TenantD, "away"));
        await Chats.SetAvailableAsync(desk.TenantD, busy.Id, true, CancellationToken.None);
        var (_, first) = await desk.StartChatAsync(desk.TenantD);
        await Chats.EnqueueAsync(desk.TenantD, first.Split('/').Last(), CancellationToken.None);
        Assert.Equal(TakeOutcome.Taken, await Chats.TakeAsync(desk.TenantD, first.Split('/').Last(), busy, CancellationToken.None));
        await Chats.SetAvailableAsync(desk.TenantD, idle.Id, true, CancellationToken.None);

        chat.AutoAssign = true;
        try
        {
            var (_, second) = await desk.StartChatAsync(desk.TenantD);
            var id = second.Split('/').Last();
            await flow.ArriveAsync(desk.TenantD, (await Chats.FindAsync(desk.TenantD, id, CancellationToken.None))!, CancellationToken.None);
            var assigned = await Chats.FindAsync(desk.TenantD, id, CancellationToken.None);
            Assert.Equal(ContactState.Active, assigned!.State);
            Assert.Equal(idle.Id, assigned.AgentId);
            Assert.NotEqual(away.Id, assigned.AgentId);
        }
        finally
        {
            chat.AutoAssign = false;
        }
    }

    [Fact]
    public async Task An_available_agent_counts_only_while_a_page_renews_the_lease_and_an_away_agent_stays_away()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var chats = desk.Chats(clock);
        var lease = desk.Server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.IdContactOptions>>().Value.Desk().Chat.PresenceLease;
        var (agent, colleague) = (await NewAgentAsync(desk.TenantA, "lease"), await NewAgentAsync(desk.TenantA, "holder"));
        var queued = await QueuedChatAsync(desk.TenantA);
        var held = await QueuedChatAsync(desk.TenantA);
        try
        {
            await chats.SetAvailableAsync(desk.TenantA, agent.Id, true, CancellationToken.None);
            clock.Advance(lease - TimeSpan.FromSeconds(1));
            Assert.True(await chats.CanStartAsync(desk.TenantA, CancellationToken.None));
            Assert.True(await chats.IsAvailableAsync(desk.TenantA, agent.Id, CancellationToken.None));

            // The page is gone: the choice stays, its effect lapses (every other agent of A was last seen before this clock started).
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.False(await chats.CanStartAsync(desk.TenantA, CancellationToken.None));
            Assert.False(await chats.IsAvailableAsync(desk.TenantA, agent.Id, CancellationToken.None));
            Assert.Null(await chats.LeastBusyAvailableAsync(desk.TenantA, [], CancellationToken.None));
            Assert.Equal(TakeOutcome.Away, await chats.TakeAsync(desk.TenantA, queued, agent, CancellationToken.None));
            await chats.SetAvailableAsync(desk.TenantA, colleague.Id, true, CancellationToken.None);
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(desk.TenantA, held, colleague, CancellationToken.None));
            Assert.DoesNotContain(await chats.OtherAvailableAgentsAsync(desk.TenantA, colleague.Id, CancellationToken.None), a => a.Id == agent.Id);
            Assert.Null(await chats.TransferAsync(desk.TenantA, held, colleague, agent.Id, CancellationToken.None));
            await using (var db = desk.Databases.Open(desk.TenantA))
            {
                Assert.True((await db.AgentPresence.AsNoTracking().SingleAsync(p => p.AgentId == agent.Id)).Available);
            }

            // The page comes back and renews: available again, as chosen.
            Assert.True(await chats.RenewAsync(desk.TenantA, agent.Id, CancellationToken.None));
            Assert.Equal(agent.Id, (await chats.LeastBusyAvailableAsync(desk.TenantA, [], CancellationToken.None))?.Id);
            Assert.Contains(await chats.OtherAvailableAgentsAsync(desk.TenantA, colleague.Id, CancellationToken.None), a => a.Id == agent.Id);
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(desk.TenantA, queued, agent, CancellationToken.None));
            Assert.Equal(agent.Id, (await chats.TransferAsync(desk.TenantA, held, colleague, agent.Id, CancellationToken.None))?.Id);

            // Away stays away, however often a page renews.
            await chats.SetAvailableAsync(desk.TenantA, agent.Id, false, CancellationToken.None);
            await chats.SetAvailableAsync(desk.TenantA, colleague.Id, false, CancellationToken.None);
            Assert.False(await chats.RenewAsync(desk.TenantA, agent.Id, CancellationToken.None));
            Assert.False(await chats.IsAvailableAsync(desk.TenantA, agent.Id, CancellationToken.None));
            Assert.False(await chats.CanStartAsync(desk.TenantA, CancellationToken.None));
        }
        finally
        {
            // Leases renewed on this clock lie ahead of the server's: leave nobody available for the other tests.
            await Chats.SetAvailableAsync(desk.TenantA, agent.Id, false, CancellationToken.None);
            await Chats.SetAvailableAsync(desk.TenantA, colleague.Id, false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_agents_pages_renew_the_lease_on_opening_and_on_their_hubs_and_a_resident_finds_nobody_once_it_ran_out()
    {
        // Tenant B has no other available agent.
        var name = "pages-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, name);
        var id = (await DeskAgent.FindAsync(desk.Databases, desk.TenantB, name))!.Id;
        using var agent = DeskAgent.For(desk, desk.TenantB);
        await agent.SignInAsync(name);
        try
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync("/desk", "/desk/availability", ("available", "true"))).StatusCode);
            Assert.False(await NobodyThereAsync(desk.TenantB));

            // The browser was closed long ago: the resident is told nobody is there, as with an away agent.
            await ExpireAsync(desk.TenantB, id);
            Assert.True(await NobodyThereAsync(desk.TenantB));

            // Opening the overview renews, and it says so.
            Assert.Contains("U bent beschikbaar voor chats", await (await agent.GetAsync("/desk")).Content.ReadAsStringAsync());
            Assert.True(await Chats.IsAvailableAsync(desk.TenantB, id, CancellationToken.None));

            // Connecting to either hub renews, and so does each Renew call.
            foreach (var hub in new[] { "/desk/hub", "/desk/chat/hub" })
            {
                await ExpireAsync(desk.TenantB, id);
                var connection = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantB}{hub}", o => o.Cookies = agent.CookieJar).Build();
                await using var connectionDisposal = connection.DisposedBounded();
                await connection.StartAsync();
                Assert.True(await EventuallyAvailableAsync(desk.TenantB, id), hub + " renews on connecting");
                await ExpireAsync(desk.TenantB, id);
                await connection.InvokeAsync("Renew");
                Assert.True(await Chats.IsAvailableAsync(desk.TenantB, id, CancellationToken.None));
            }

            // Away stays away, whatever the pages do.
            await agent.PostAsync("/desk", "/desk/availability", ("available", "false"));
            Assert.Contains("U bent afwezig", await (await agent.GetAsync("/desk")).Content.ReadAsStringAsync());
            {
                var connection = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantB}/desk/hub", o => o.Cookies = agent.CookieJar).Build();
                await using var connectionDisposal = connection.DisposedBounded();
                await connection.StartAsync();
                await connection.InvokeAsync("Renew");
            }

            Assert.False(await Chats.IsAvailableAsync(desk.TenantB, id, CancellationToken.None));
            Assert.True(await NobodyThereAsync(desk.TenantB));
        }
        finally
        {
            await Chats.SetAvailableAsync(desk.TenantB, id, false, CancellationToken.None);
        }
    }

    /// <summary>A resident arriving at a new chat is told no agent is available.</summary>
    private async Task<bool> NobodyThereAsync(string tenant)
    {
        var (clientUrl, _) = await desk.StartChatAsync(tenant);
        return (await desk.Server.Client.GetStringAsync(clientUrl)).Contains("Geen medewerker beschikbaar", StringComparison.Ordinal);
    }

    /// <summary>The hub runs OnConnectedAsync after the client's start returns: wait for it, a few seconds at most.</summary>
    private async Task<bool> EventuallyAvailableAsync(string tenant, string agentId)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await Chats.IsAvailableAsync(tenant, agentId, CancellationToken.None))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>As if the agent's last page renewed the lease well before it ran out.</summary>
    private async Task ExpireAsync(string tenant, string agentId)
    {
        await using var db = desk.Databases.Open(tenant);
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await db.AgentPresence.Where(p => p.AgentId == agentId).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, longAgo));
        Assert.False(await Chats.IsAvailableAsync(tenant, agentId, CancellationToken.None));
    }

    [Fact]
    public async Task A_chat_whose_agent_no_page_renewed_for_the_hand_back_time_goes_back_to_the_queue_once_but_an_away_agent_with_a_page_open_keeps_theirs()
    {
        var tenant = desk.TenantA;
        var ct = CancellationToken.None;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var chats = desk.Chats(clock);
        var absentFor = TimeSpan.FromMinutes(3);
        var retention = RetentionHandingBackAfter(absentFor, clock, chats);
        var (gone, finishing) = (await NewAgentAsync(tenant, "gone"), await NewAgentAsync(tenant, "finishing"));
        var (lost, kept) = (await QueuedChatAsync(tenant), await QueuedChatAsync(tenant));
        foreach (var (agent, chat) in new[] { (gone, lost), (finishing, kept) })
        {
            await chats.SetAvailableAsync(tenant, agent.Id, true, ct);
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(tenant, chat, agent, ct));
        }

        // The finishing agent takes no more chats but keeps the page open to finish this one; the other's browser is gone.
        await chats.SetAvailableAsync(tenant, finishing.Id, false, ct);
        clock.Advance(absentFor - TimeSpan.FromSeconds(1));
        Assert.False(await chats.RenewAsync(tenant, finishing.Id, ct));
        await retention.SweepAsync(ct);
        Assert.Equal(gone.Id, (await chats.FindAsync(tenant, lost, ct))!.AgentId);

        clock.Advance(TimeSpan.FromSeconds(2));
        await retention.SweepAsync(ct);
        await retention.SweepAsync(ct);

        var handedBack = (await chats.FindAsync(tenant, lost, ct))!;
        Assert.Equal((ContactState.Queued, null), (handedBack.State, handedBack.AgentId));
        Assert.Equal([ChatKinds.HandedBack], (await chats.LinesAsync(tenant, lost, 0, ct)).Select(l => l.Kind));
        var stays = (await chats.FindAsync(tenant, kept, ct))!;
        Assert.Equal((ContactState.Active, finishing.Id), (stays.State, stays.AgentId));
        Assert.Empty(await chats.LinesAsync(tenant, kept, 0, ct));
        Assert.False(await chats.IsAvailableAsync(tenant, finishing.Id, ct));
        await using var db = desk.Databases.Open(tenant);
        var trail = await db.Audit.Where(r => r.SessionId == lost || r.SessionId == kept).Where(r => r.Action != AuditActions.Take).Select(r => new { r.SessionId, r.AgentName, r.Action }).ToListAsync();
        Assert.Equal(new { SessionId = lost, AgentName = gone.UserName!, Action = AuditActions.ReleaseAbsent }, Assert.Single(trail));
        // Worded for any count ("handed back 1 chats" once).
        Assert.Contains(desk.Logs.Messages, m => m.Contains($"Tenant {tenant}: chats handed back as their agent was not seen for 3 min: ", StringComparison.Ordinal));
        Assert.Matches($"idcontact_desk_chats_handed_back_total\\{{[^}}]*reason=\"absent\"[^}}]*tenant=\"{tenant}\"[^}}]*\\}} [1-9]", await desk.Server.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_resend_racing_the_first_send_on_another_connection_gets_the_line_stored_first_and_nothing_is_stored_twice()
    {
        var (_, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var clientId = Secrets.NewId();
        var texts = desk.Server.App.Services.GetRequiredService<ChatTextProtector>();

        // The first send is still in its transaction on one connection when the resend arrives on another: the resend
        // waits for it (unique index on PostgreSQL, the write lock on SQLite) and must then answer the first line.
        long firstSequence;
        Task<ChatLine?> resend;
        await using (var first = desk.Databases.Open(desk.TenantA))
        {
            await using var transaction = await first.Database.BeginTransactionAsync();
            var line = new ChatMessage { SessionId = id, ClientId = clientId, Sender = "resident", Kind = ChatKinds.Text, Text = texts.Protect(desk.TenantA, "Eerste verzending"), At = DateTimeOffset.UtcNow };
            first.ChatMessages.Add(line);
            await first.SaveChangesAsync();
            firstSequence = line.Sequence;
            // On a thread of its own: SQLite waits for its write lock synchronously.
            resend = Task.Run(() => Chats.AddAsync(desk.TenantA, id, clientId, "resident", ChatKinds.Text, null, "Tweede verzending", CancellationToken.None));
            await Task.Delay(300);
            Assert.False(resend.IsCompleted, "the resend cannot finish before the first send's transaction does");
            await transaction.CommitAsync();
        }

        var answered = await resend;
        Assert.Equal((firstSequence, "Eerste verzending"), (answered!.Seq, answered.Text));

        // Many resends of one new message at once, each on its own connection: one line, the same for all.
        var burstId = Secrets.NewId();
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Chats.AddAsync(desk.TenantA, id, burstId, "resident", ChatKinds.Text, null, "Tegelijk", CancellationToken.None))));
        Assert.Single(burst.Select(l => l!.Seq).Distinct());
        var lines = await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None);
        Assert.Equal([clientId, burstId], lines.Select(l => l.ClientId));
    }

    [Fact]
    public async Task A_message_to_an_ended_chat_is_answered_ended_and_stores_nothing()
    {
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var id = attrUrl.Split('/').Last();
        var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();
        var clientId = Secrets.NewId();
        var sent = await hub.InvokeAsync<System.Text.Json.JsonElement>("Send", clientId, "Voor het einde");
        Assert.False(sent.GetProperty("ended").GetBoolean());

        // Ended while the page is still open (by the agent, or retention): the open connection's next send.
        Assert.True(await Chats.EndAsync(desk.TenantA, id, CancellationToken.None));
        var after = await hub.InvokeAsync<System.Text.Json.JsonElement>("Send", Secrets.NewId(), "Na het einde");
        Assert.True(after.GetProperty("ended").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("line").ValueKind);
        var resent = await hub.InvokeAsync<System.Text.Json.JsonElement>("Send", clientId, "Voor het einde");
        Assert.True(resent.GetProperty("ended").GetBoolean());
        Assert.Null(await Chats.AddAsync(desk.TenantA, id, Secrets.NewId(), "agent", ChatKinds.Text, "Medewerker", "Na het einde", CancellationToken.None));
        Assert.Null(await Chats.AddEventAsync(desk.TenantA, id, ChatKinds.Joined, "Medewerker", CancellationToken.None));
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.False(await db.ChatMessages.AnyAsync(m => m.SessionId == id));
    }

    [Fact]
    public async Task A_message_renews_the_chats_activity_and_reaches_the_agent_who_holds_the_chat_when_it_is_stored()
    {
        var flow = desk.Server.App.Services.GetRequiredService<ChatFlow>();
        var (from, to) = (await NewAgentAsync(desk.TenantC, "says-from"), await NewAgentAsync(desk.TenantC, "says-to"));
        var (clientUrl, id) = await desk.ChatTakenByAsync(desk.TenantC, from);
        var resident = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantC}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var residentDisposal = resident.DisposedBounded();
        await resident.StartAsync();

        // Handed over while the resident's page stays connected: the colleague gets the resident's next line.
        using var colleague = DeskAgent.For(desk, desk.TenantC);
        await colleague.SignInAsync(to.UserName!);
        var received = System.Threading.Channels.Channel.CreateUnbounded<(string Id, string Text)>();
        var colleagueHub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantC}/desk/chat/hub", o => o.Cookies = colleague.CookieJar).Build();
        await using var colleagueHubDisposal = colleagueHub.DisposedBounded();
        colleagueHub.On<string, System.Text.Json.JsonElement>("line", (chat, line) => received.Writer.TryWrite((chat, line.GetProperty("text").GetString()!)));
        await colleagueHub.StartAsync();
        await Chats.SetAvailableAsync(desk.TenantC, from.Id, true, CancellationToken.None);
        await Chats.SetAvailableAsync(desk.TenantC, to.Id, true, CancellationToken.None);
        Assert.Equal(to.Id, (await flow.TransferAsync(desk.TenantC, id, from, to.Id, CancellationToken.None))?.Id);
        await Chats.SetAvailableAsync(desk.TenantC, from.Id, false, CancellationToken.None);
        await Chats.SetAvailableAsync(desk.TenantC, to.Id, false, CancellationToken.None);

        // Idle for an hour by the database: the line makes the chat active now, so retention keeps it.
        await using (var db = desk.Databases.Open(desk.TenantC))
        {
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAt, DateTimeOffset.UtcNow.AddHours(-1)));
        }

        var sentAt = DateTimeOffset.UtcNow;
        var sent = await resident.InvokeAsync<System.Text.Json.JsonElement>("Send", Secrets.NewId(), "Voor de collega");
        Assert.False(sent.GetProperty("ended").GetBoolean());
        await using (var db = desk.Databases.Open(desk.TenantC))
        {
            var activity = await db.Sessions.Where(s => s.Id == id).Select(s => s.LastActivityAt).SingleAsync();
            Assert.True(activity >= sentAt.AddSeconds(-5), $"activity {activity:O} is not renewed by the line sent at {sentAt:O}");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (chatId, text) = await received.Reader.ReadAsync(timeout.Token);
        while (text.Length == 0)
        {
            // The hand-over's own event line comes first.
            (chatId, text) = await received.Reader.ReadAsync(timeout.Token);
        }

        Assert.Equal((id, "Voor de collega"), (chatId, text));
    }

    /// <summary>A retention service on <paramref name="clock"/> that hands chats back (the fixture's own never does).</summary>
    private Retention.RetentionService RetentionHandingBackAfter(TimeSpan absentFor, TimeProvider clock, ChatStore chats)
    {
        var services = desk.Server.App.Services;
        var chatOptions = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.IdContactOptions>>().Value.Desk().Chat;
        var sweep = ActivatorUtilities.CreateInstance<AbsentChatHolders>(services, clock, chats);
        // The service reads the setting once, when made; the fixture's running one keeps its 0.
        chatOptions.HandBackAfterMinutes = (int)absentFor.TotalMinutes;
        try
        {
            return ActivatorUtilities.CreateInstance<Retention.RetentionService>(services, clock, sweep);
        }
        finally
        {
            chatOptions.HandBackAfterMinutes = 0;
        }
    }

    private async Task<string> QueuedChatAsync(string tenant)
    {
        var (_, attrUrl) = await desk.StartChatAsync(tenant);
        var id = attrUrl.Split('/').Last();
        await Chats.EnqueueAsync(tenant, id, CancellationToken.None);
        return id;
    }

    private static async Task<Agent> NewAgentAsync(DeskServer desk, string tenant, string prefix)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, name);
        return (await DeskAgent.FindAsync(desk.Databases, tenant, name))!;
    }

    private Task<Agent> NewAgentAsync(string tenant, string prefix) => NewAgentAsync(desk, tenant, prefix);

    private Task<HttpResponseMessage> Send(string clientUrl, string text, string clientId) =>
        desk.Server.Client.PostAsync(clientUrl + "/send", new FormUrlEncodedContent([new("text", text), new("client_id", clientId)]));
}

public sealed class SqliteChatStoreTests(SqliteDeskServer desk) : ChatStoreTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresChatStoreTests(PostgresDeskServer desk) : ChatStoreTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;

public sealed class OpeningHoursTests
{
    [Fact]
    public void The_chat_is_open_only_within_the_days_ranges_in_Dutch_time_and_never_on_closed_days()
    {
        var chat = new TenantChatOptions
        {
            OpeningHours = new(StringComparer.OrdinalIgnoreCase) { ["monday"] = "08:30-12:00,13:00-17:00" },
            ClosedDays = ["2026-12-28"],
        };
        // Monday 2026-11-30, 09:00 in Amsterdam is 08:00 UTC (winter time).
        Assert.True(OpeningHours.IsOpen(chat, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)));
        Assert.False(OpeningHours.IsOpen(chat, new DateTimeOffset(2026, 11, 30, 11, 30, 0, TimeSpan.Zero)));
        Assert.False(OpeningHours.IsOpen(chat, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)));
        Assert.False(OpeningHours.IsOpen(chat, new DateTimeOffset(2026, 12, 28, 8, 0, 0, TimeSpan.Zero)));
        Assert.True(OpeningHours.IsOpen(new TenantChatOptions(), new DateTimeOffset(2026, 12, 27, 3, 0, 0, TimeSpan.Zero)));
    }
}
