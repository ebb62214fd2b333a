using System.Net;
using System.Threading.Channels;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>
/// The administrator's staffing page (Bezetting): the queue and each agent's chat state and holdings, names and counts
/// only; administrators alone, of their own municipality. A server of its own, so the counts are these tests' alone.
/// </summary>
public abstract partial class StaffingTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private string Tenant => desk.TenantA;

    [Fact]
    public async Task The_page_shows_the_queue_and_each_agents_state_and_holdings_and_nothing_of_a_resident()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "bz-admin", AgentAuthorization.AdminRole);
        var available = await AgentAsync("bz-beschikbaar");
        var away = await AgentAsync("bz-afwezig");
        var lapsed = await AgentAsync("bz-verlopen");
        await AgentAsync("bz-fg", AgentAuthorization.PrivacyRole);
        var chats = desk.Server.App.Services.GetRequiredService<ChatStore>();
        var secret = "Geheime Inwoner " + Guid.NewGuid().ToString("N")[..8];

        // Two chats held by the available agent, each with the resident's proven name and BSN.
        for (var i = 0; i < 2; i++)
        {
            var (_, attrUrl) = await desk.StartChatAsync(Tenant, desk.Token(secret + Guid.NewGuid().ToString("N")[..6]));
            var id = attrUrl.Split('/')[^1];
            Assert.True(await chats.EnqueueAsync(Tenant, id, CancellationToken.None));
            await chats.SetAvailableAsync(Tenant, available.Id, true, CancellationToken.None);
            Assert.Equal(TakeOutcome.Taken, await chats.TakeAsync(Tenant, id, available, CancellationToken.None));
        }

        // The away agent holds a call; a call and a chat wait in the queue.
        var held = await QueuedCallAsync(secret);
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Sessions.Where(s => s.Id == held).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Active).SetProperty(s => s.AgentId, away.Id));
        }

        await chats.SetAvailableAsync(Tenant, away.Id, false, CancellationToken.None);
        await QueuedCallAsync(secret);
        var (_, queuedChat) = await desk.StartChatAsync(Tenant, desk.Token(secret + Guid.NewGuid().ToString("N")[..6]));
        Assert.True(await chats.EnqueueAsync(Tenant, queuedChat.Split('/')[^1], CancellationToken.None));

        // The lapsed agent chose to be available, but no page of theirs renewed the lease for an hour.
        var lastSeen = DateTimeOffset.UtcNow.AddHours(-1);
        await chats.SetAvailableAsync(Tenant, lapsed.Id, true, CancellationToken.None);
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.AgentPresence.Where(p => p.AgentId == lapsed.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, lastSeen));
        }

        // A video appointment today for the available agent; one tomorrow and one cancelled today do not count.
        var appointments = desk.Server.App.Services.GetRequiredService<AppointmentStore>();
        var now = DateTimeOffset.UtcNow;
        await appointments.PlanAsync(Tenant, "report_move", "inwoner@example.nl", now, available.Id, CancellationToken.None);
        await appointments.PlanAsync(Tenant, "report_move", "inwoner@example.nl", now.AddDays(1), available.Id, CancellationToken.None);
        var cancelled = await appointments.PlanAsync(Tenant, "report_move", "inwoner@example.nl", now, away.Id, CancellationToken.None);
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Appointments.Where(a => a.Id == cancelled.Appointment.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.CancelledAt, now));
        }

        var response = await admin.GetAsync("/desk/admin/staffing");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<title>Bezetting", page);
        Assert.Contains("Telefoon: 1 beller wacht, sinds", page);
        Assert.Contains("Chat: 1 chat wacht, sinds", page);
        Assert.DoesNotContain("take-next", page);
        Assert.Contains("Bijgewerkt om ", page);
        Assert.Contains("/desk-assets/staffing.js", page);

        var rows = Rows(page);
        var max = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[Tenant].Desk().Chat.MaxChatsPerAgent;
        Assert.Equal(("Beschikbaar voor chat", $"2 / {max}", "0", "1"), rows["bz-beschikbaar"]);
        Assert.Equal(("Afwezig", $"0 / {max}", "1", "0"), rows["bz-afwezig"]);
        Assert.Equal(("Niet verbonden", $"0 / {max}", "0", "0"), rows["bz-verlopen"]);
        Assert.Equal(("Afwezig", $"0 / {max}", "0", "0"), rows["bz-admin"]);
        Assert.False(rows.ContainsKey("bz-fg"), "the data protection officer is not staff of the contact centre");
        // Not connected since the lease ran out: the last renewal plus the lease, in Dutch time.
        var lease = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().Chat.PresenceLease;
        var lapsedAt = DutchTime.Of(lastSeen + lease).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($"<th scope=\"row\">bz-verlopen</th>\\s*<td class=\"staff-state\">Niet verbonden</td>\\s*<td class=\"staff-since\">[^<]*{lapsedAt}</td>", page);

        // The fragment the script fetches says the same; neither holds anything of a resident.
        var list = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/staffing/list"));
        Assert.StartsWith("<div id=\"staffing-list\"", list.Trim());
        Assert.Equal(rows, Rows(list));
        foreach (var html in new[] { page, list })
        {
            Assert.DoesNotContain(secret, html);
            Assert.DoesNotContain("999993653", html);
            Assert.DoesNotContain("inwoner@example.nl", html);
        }

        // English on request, and the choice is remembered; reading the page is no access-log event.
        var english = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/staffing?lang=en"));
        Assert.Contains("<title>Staffing", english);
        Assert.Contains("Phone: 1 caller is waiting, since", english);
        Assert.Contains("Available for chat", english);
        Assert.Contains("Not connected", english);
        Assert.Contains("Updated at ", english);
        Assert.Contains("Video appointments today", WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/staffing/list")));
        Assert.Contains("Beschikbaar voor chat", WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/staffing?lang=nl")));
        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.False(await db.Audit.AnyAsync(r => r.AgentName == "bz-admin"));
            Assert.False(await db.AdminAudit.AnyAsync(r => r.AdminName == "bz-admin" && !AdminActions.SignIns.Contains(r.Action)));
        }

        // The menus lead there: the admin page and the overview.
        Assert.Contains($"href=\"/{Tenant}/desk/admin/staffing\"", await admin.ReadAsync("/desk/admin"));
        Assert.Contains($"href=\"/{Tenant}/desk/admin/staffing\"", await admin.ReadAsync("/desk"));
    }

    [Fact]
    public async Task Agents_and_the_privacy_officer_get_403_strangers_the_sign_in_and_another_municipality_nothing()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "bz-gewoon", null);
        using var officer = await DeskAgent.SignedInAsync(desk, Tenant, "bz-officer", AgentAuthorization.PrivacyRole);
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "bz-beheerder", AgentAuthorization.AdminRole);
        foreach (var path in new[] { "/desk/admin/staffing", "/desk/admin/staffing/list" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync(path)).StatusCode);
            Assert.DoesNotContain("/desk/admin/staffing", await officer.ReadAsync("/desk/admin/access-log"));

            // The page sends a stranger to the sign-in; the list its script fetches answers 401 (the page then reloads).
            var stranger = await desk.Server.Client.GetAsync($"/{Tenant}{path}");
            var other = await admin.CookieAtAsync(desk.Server.Client, desk.TenantB, path);
            if (path.EndsWith("/list", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
                continue;
            }

            Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
            Assert.StartsWith($"/{Tenant}/desk/login", stranger.Headers.Location?.OriginalString);

            // A's administrator's cookie presented at B's page by hand: B's sign-in, none of B's staff.
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
            Assert.StartsWith($"/{desk.TenantB}/desk/login", other.Headers.Location?.OriginalString);
        }

        // An agent of B is never listed on A's page.
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "bz-van-b");
        Assert.DoesNotContain("bz-van-b", await admin.ReadAsync("/desk/admin/staffing"));
    }

    [Fact]
    public async Task A_municipality_with_more_agents_than_the_cap_gets_the_first_500_and_is_told_so()
    {
        // Its own municipality, so the other tests' agents do not count: 501 more besides the administrator.
        var tenant = desk.TenantD;
        using var admin = await DeskAgent.SignedInAsync(desk, tenant, "bz-cap-admin", AgentAuthorization.AdminRole);
        await using (var db = desk.Databases.Open(tenant))
        {
            db.Users.AddRange(Enumerable.Range(0, Admin.Staffing.Cap + 1).Select(i => new Agent
            {
                UserName = $"bz-veel-{i:D3}",
                NormalizedUserName = $"BZ-VEEL-{i:D3}",
                DisplayName = $"bz-veel-{i:D3}",
                SecurityStamp = Guid.NewGuid().ToString(),
            }));
            await db.SaveChangesAsync();
        }

        var page = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/staffing"));
        Assert.Contains($"Alleen de eerste {Admin.Staffing.Cap} medewerkers (op naam) worden getoond.", page);
        var rows = Rows(page);
        Assert.Equal(Admin.Staffing.Cap, rows.Count);
        Assert.Contains("bz-cap-admin", rows.Keys);
        Assert.DoesNotContain("bz-veel-500", rows.Keys);
    }

    [Fact]
    public async Task Watching_the_staffing_over_the_agents_hub_brings_each_change_but_renews_no_lease()
    {
        // Its own municipality, so the arrival below does not change the other tests' queue.
        var tenant = desk.TenantC;
        using var admin = await DeskAgent.SignedInAsync(desk, tenant, "bz-kijker", AgentAuthorization.AdminRole);
        var id = (await DeskAgent.FindAsync(desk.Databases, tenant, "bz-kijker"))!.Id;
        var chats = desk.Server.App.Services.GetRequiredService<ChatStore>();

        // The administrator chose to take chats earlier, but no working page of theirs renewed the lease for an hour.
        await LapsedLease.SetAsync(desk, tenant, id);

        try
        {
            // The staffing page connects as a watcher and, like any agent page, calls Renew on its timer.
            var watcher = new HubConnectionBuilder()
                .WithUrl($"{desk.Server.BaseUrl}/{tenant}/desk/hub?watching=true", o => o.Cookies = admin.CookieJar).Build();
            await using var watcherDisposal = watcher.DisposedBounded();
            var changed = Channel.CreateUnbounded<bool>();
            watcher.On(ContactsHub.ChangedMessage, () => changed.Writer.TryWrite(true));
            await watcher.StartAsync();
            await watcher.InvokeAsync("Renew");
            // What the pages await before they call themselves live: it answers only once the hub has put the
            // connection in its tenant's group (the handshake that ends StartAsync comes before that).
            Assert.True(await watcher.InvokeAsync<bool>("Joined"));

            // A resident arrives in a chat: the watcher is told, without a timer.
            var (chat, _) = await chats.CreateAsync(tenant, "report_move", CancellationToken.None);
            await desk.Server.App.Services.GetRequiredService<ChatFlow>().ArriveAsync(tenant, chat, CancellationToken.None);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.True(await changed.Reader.ReadAsync(wait.Token));

            // Watching made the administrator neither available for chats nor seen.
            await LapsedLease.AssertNotRenewedAsync(desk, tenant, id);
            Assert.Contains("Niet verbonden", await admin.ReadAsync("/desk/admin/staffing"));
        }
        finally
        {
            await LapsedLease.ClearAsync(desk, tenant, id);
        }
    }

    /// <summary>The table's rows by agent name: state, chats of the maximum, calls, video appointments today.</summary>
    private static Dictionary<string, (string State, string Chats, string Calls, string Appointments)> Rows(string html) =>
        Row().Matches(html).ToDictionary(
            m => m.Groups["name"].Value,
            m => (m.Groups["state"].Value, m.Groups["chats"].Value, m.Groups["calls"].Value, m.Groups["appointments"].Value));

    [GeneratedRegex("""<tr class="staff-row"><th scope="row">(?<name>[^<]*)</th>\s*<td class="staff-state">(?<state>[^<]*)</td>\s*<td class="staff-since">[^<]*</td>\s*<td class="staff-chats">(?<chats>[^<]*)</td>\s*<td class="staff-calls">(?<calls>[^<]*)</td>\s*<td class="staff-appointments">(?<appointments>[^<]*)</td>""")]
    private static partial Regex Row();

    private async Task<Agent> AgentAsync(string userName, string? role = null)
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, userName, role: role);
        return (await DeskAgent.FindAsync(desk.Databases, Tenant, userName))!;
    }

    private async Task<string> QueuedCallAsync(string fullname)
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(Tenant);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token(fullname + Guid.NewGuid().ToString("N")[..6]))).StatusCode);
        var (status, body) = await desk.ExchangeAsync(Tenant, "identify", new { code, call_id = "call-" + Guid.NewGuid().ToString("N"), caller = "+3161234" + Random.Shared.Next(1000, 9999) }, DeskServer.KeyA);
        Assert.True(status == 200 && body.GetProperty("result").GetString() == "matched", body.ToString());
        return attrUrl.Split('/')[^1];
    }
}

public sealed class SqliteStaffingTests(SqliteDeskServer desk) : StaffingTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresStaffingTests(PostgresDeskServer desk) : StaffingTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
