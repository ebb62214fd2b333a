using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// One staff menu (StaffNav) on every staff page: the pages the role may open, the current one marked, the account and
/// sign-out always; and "Mijn chats" tells two chats of one purpose apart. Both databases.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    private const string Overview = "/desk", Appointments = "/desk/appointments", Account = "/desk/account";
    private const string Admin = "/desk/admin", Staffing = "/desk/admin/staffing", AccessLog = "/desk/admin/access-log", AdminAudit = "/desk/admin/audit";

    [Fact]
    public async Task Every_staff_page_has_the_same_menu_of_what_the_role_may_open_with_the_page_marked_account_and_sign_out()
    {
        var tenant = desk.TenantA;
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "nav-agent", null);
        var agentRecord = (await DeskAgent.FindAsync(desk.Databases, tenant, "nav-agent"))!;
        var (_, chat) = await desk.ChatTakenByAsync(tenant, agentRecord);
        var booked = await desk.Appointments(TimeProvider.System).PlanAsync(tenant, "report_move", $"nav-{Guid.NewGuid():N}@example.nl", DateTimeOffset.UtcNow, agentRecord.Id, CancellationToken.None);
        Assert.True(await desk.Appointments(TimeProvider.System).ArriveAsync(tenant, booked.Appointment.SessionId, CancellationToken.None));
        string[] agentMenu = [Overview, Appointments, Account];
        foreach (var (path, current) in new[]
        {
            // The cancel page before the call's: an open call is not cancelled from the list (it sends back there).
            (Overview, Overview), (Appointments, Appointments), (Account, Account), ($"/desk/chats/{chat}", null),
            ($"/desk/appointments/{booked.Appointment.Id}/cancel", null), ($"/desk/video/{booked.Appointment.SessionId}", null),
        })
        {
            AssertMenu(tenant, await agent.ReadAsync(path), path, agentMenu, current);
        }

        using var admin = await DeskAgent.SignedInAsync(desk, tenant, "nav-admin", AgentAuthorization.AdminRole);
        string[] adminMenu = [Overview, Appointments, Admin, Staffing, AccessLog, AdminAudit, Account];
        foreach (var path in new[] { Overview, Admin, Staffing, AccessLog, AdminAudit, Account })
        {
            AssertMenu(tenant, await admin.ReadAsync(path), path, adminMenu, path);
        }

        // The data protection officer handles no contacts: their menu holds the logs and their account.
        using var officer = await DeskAgent.SignedInAsync(desk, tenant, "nav-officer", AgentAuthorization.PrivacyRole);
        foreach (var path in new[] { AccessLog, AdminAudit, Account })
        {
            AssertMenu(tenant, await officer.ReadAsync(path), path, [AccessLog, AdminAudit, Account], path);
        }

        // In English the links keep the language; with a one-time password only sign-out is offered.
        AssertMenu(tenant, await admin.ReadAsync(Staffing + "?lang=en"), Staffing, adminMenu.Select(p => p + "?lang=en").ToArray(), Staffing + "?lang=en", "Sign out");
        await admin.ReadAsync(Overview + "?lang=nl");
        await using (var db = desk.Databases.Open(tenant))
        {
            await db.Users.Where(a => a.UserName == "nav-officer").ExecuteUpdateAsync(u => u.SetProperty(a => a.MustChangePassword, true));
        }

        AssertMenu(tenant, await officer.ReadAsync("/desk/password"), "/desk/password", [], null);
    }

    [Fact]
    public async Task My_chats_tells_two_chats_of_one_purpose_apart_without_personal_data()
    {
        var tenant = desk.TenantA;
        using var agent = await DeskAgent.SignedInAsync(desk, tenant, "nav-two-chats", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, tenant, "nav-two-chats"))!;
        var chats = desk.Server.App.Services.GetRequiredService<ChatStore>();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await desk.ChatTakenByAsync(tenant, holder)).Id);
        }

        // Started in one minute: as "sinds 17:40" they looked the same; the seconds tell them apart, a number if those agree.
        var minute = new DateTimeOffset(2026, 11, 27, 16, 40, 0, TimeSpan.Zero);
        foreach (var (seconds, expected) in new[]
        {
            (new[] { 5, 35 }, new[] { "Verhuizing doorgeven (sinds 17:40:05)", "Verhuizing doorgeven (sinds 17:40:35)" }),
            (new[] { 35, 35 }, new[] { "Verhuizing doorgeven (sinds 17:40:35)", "Verhuizing doorgeven (sinds 17:40:35) – 2" }),
        })
        {
            await using (var db = desk.Databases.Open(tenant))
            {
                foreach (var (id, second) in ids.Zip(seconds))
                {
                    await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.CreatedAt, minute.AddSeconds(second)));
                }
            }

            var list = await agent.ReadAsync("/desk/chats/mine");
            var labels = Regex.Matches(list, "<a [^>]*>([^<]*)</a>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
            Assert.Equal(expected, labels);
        }

        // Not the resident's data: listing them records no view in the access log.
        await using var audit = desk.Databases.Open(tenant);
        Assert.False(await audit.Audit.AnyAsync(a => ids.Contains(a.SessionId) && a.Action == AuditActions.View));
        foreach (var id in ids)
        {
            await chats.EndAsync(tenant, id, CancellationToken.None);
        }
    }

    /// <summary>The page has one staff menu: exactly <paramref name="links"/>, <paramref name="current"/> marked, sign-out with a token.</summary>
    private static void AssertMenu(string tenant, string html, string page, string[] links, string? current, string signOut = "Uitloggen")
    {
        var menus = Regex.Matches(html, "<ul class=\"idc-staff-nav\">(.*?)</ul>", RegexOptions.Singleline);
        Assert.True(menus.Count == 1, $"{page}: {menus.Count} staff menus");
        var menu = menus[0].Groups[1].Value;
        var hrefs = Regex.Matches(menu, "href=\"([^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(links.Select(l => $"/{tenant}{l}"), hrefs);
        var marked = Regex.Matches(menu, "<a [^>]*href=\"([^\"]*)\"[^>]*aria-current=\"page\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(current is null ? [] : [$"/{tenant}{current}"], marked);
        Assert.Contains($"<form method=\"post\" action=\"/{tenant}/desk/logout\">", menu);
        Assert.Matches("<input type=\"hidden\" name=\"[^\"]+\" value=\"[^\"]+\"", menu);
        Assert.Contains($">{signOut}</button>", menu);
    }
}
