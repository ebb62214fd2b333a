using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// The data protection officer (FG): reads the access log and the administrator actions, manages no account, sees no
/// other municipality; administrators grant and revoke the role, never to one who manages accounts. Once per provider.
/// </summary>
public abstract partial class PrivacyOfficerTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private string Tenant => desk.TenantA;

    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);

    private static readonly string[] ReadPaths = ["/desk/admin/access-log", "/desk/admin/access-log.csv", "/desk/admin/audit"];

    [Fact]
    public async Task A_privacy_officer_reads_the_access_log_and_its_csv_and_each_read_is_recorded_under_their_name()
    {
        await SeedAccessAsync(Tenant, ("po-anna", "po-s1"), ("po-bert", "po-s1"));
        using var officer = await SignInAsync(Tenant, "po-reader", AgentAuthorization.PrivacyRole);

        var page = await officer.ReadAsync("/desk/admin/access-log?session=po-s1");
        Assert.Contains("2 registraties, nieuwste eerst", page);
        Assert.Contains(">po-anna</a>", page);
        Assert.Contains(">po-bert</a>", page);
        // The menu offers what the officer may open, not account management.
        Assert.Contains($"href=\"/{Tenant}/desk/admin/audit\"", page);
        Assert.DoesNotContain($"href=\"/{Tenant}/desk/admin\"", page);

        var csv = await officer.ReadAsync("/desk/admin/access-log.csv?session=po-s1&lang=en");
        Assert.Contains(",po-anna,id-of-agent,view,viewed the data,po-s1", csv);
        Assert.Contains(",po-bert,id-of-agent,view,viewed the data,po-s1", csv);
        await officer.ReadAsync("/desk/admin/audit?lang=nl"); // the choice sticks: back to Dutch

        // The desk's start page leads the officer there: the access log is where their sign-in lands.
        var start = await officer.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        Assert.Equal($"/{Tenant}/desk/admin/access-log", start.Headers.Location?.OriginalString);

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.AdminName == "po-reader" && !AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([AdminActions.AccessLog, AdminActions.AccessLogExport], trail.Select(r => r.Action));
        Assert.Equal(["session=po-s1", "session=po-s1"], trail.Select(r => r.Detail));
        var reader = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-reader"))!;
        Assert.All(trail, r => Assert.Equal(reader.Id, r.AdminId));
    }

    [Fact]
    public async Task A_privacy_officer_gets_403_on_every_account_management_endpoint_and_changes_nothing()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-target");
        var target = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-target"))!;
        using var officer = await SignInAsync(Tenant, "po-manager", AgentAuthorization.PrivacyRole);

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/desk/admin")).StatusCode);
        foreach (var (action, fields) in ManagementPosts(target.Id))
        {
            // With a valid antiforgery token (from the officer's own page), so only the role stands in the way.
            var response = await officer.PostAsync("/desk/admin/access-log", action, fields);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }

        var after = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-target"))!;
        Assert.Equal(target.SecurityStamp, after.SecurityStamp);
        Assert.Equal("201", after.Extension);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "po-made"));
        await using var db = desk.Databases.Open(Tenant);
        Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == target.Id));
        // Only the officer's own reads of the log (where the forms' token came from) are on record: no change.
        Assert.False(await db.AdminAudit.AnyAsync(r => r.AdminName == "po-manager" && r.Action != AdminActions.AccessLog && !AdminActions.SignIns.Contains(r.Action)));
    }

    [Fact]
    public async Task A_privacy_officer_sees_no_residents_data_but_keeps_their_own_account()
    {
        using var officer = await SignInAsync(Tenant, "po-least", AgentAuthorization.PrivacyRole);

        // Every page, action and live connection that shows or handles residents' contacts is closed.
        string[] pages = ["/desk/contacts", "/desk/calls/call-1", "/desk/chats/mine", "/desk/chats/some-chat", "/desk/appointments", "/desk/video/some-call"];
        foreach (var path in pages)
        {
            Assert.True((await officer.GetAsync(path)).StatusCode == HttpStatusCode.Forbidden, path);
        }

        var take = await officer.PostAsync("/desk/admin/access-log", "/desk/contacts/some-session/take");
        Assert.Equal(HttpStatusCode.Forbidden, take.StatusCode);
        foreach (var hub in new[] { "/desk/hub", "/desk/chat/hub", "/desk/video/hub" })
        {
            var negotiate = await officer.Client.PostAsync($"/{Tenant}{hub}/negotiate?negotiateVersion=1", null);
            Assert.True(negotiate.StatusCode == HttpStatusCode.Forbidden, $"{hub}: {negotiate.StatusCode}");
        }

        // Their own account stays theirs: two-step verification, password, and signing out from the log's menu.
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/desk/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/desk/password")).StatusCode);
        var log = await officer.ReadAsync("/desk/admin/access-log");
        Assert.DoesNotContain("Binnenkomende contacten", log);
        Assert.Contains($"action=\"/{Tenant}/desk/logout\"", log);
        var signedOut = await officer.PostAsync("/desk/admin/access-log", "/desk/logout");
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await officer.GetAsync("/desk/admin/access-log")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_or_officer_with_a_one_time_password_reaches_the_log_and_admin_pages_only_after_choosing_their_own()
    {
        using var admin = await SignInAsync(Tenant, "po-otp-admin", AgentAuthorization.AdminRole);
        using var officer = await SignInAsync(Tenant, "po-otp-officer", AgentAuthorization.PrivacyRole);
        foreach (var name in new[] { "po-otp-admin", "po-otp-officer" })
        {
            // As after an administrator's password reset: the one-time password must be replaced first.
            await using var db = desk.Databases.Open(Tenant);
            await db.Users.Where(a => a.UserName == name).ExecuteUpdateAsync(u => u.SetProperty(a => a.MustChangePassword, true));
        }

        foreach (var (session, paths) in new[] { (admin, ReadPaths.Append("/desk/admin")), (officer, ReadPaths) })
        {
            foreach (var path in paths)
            {
                var response = await session.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{path}: {response.StatusCode}");
                Assert.Equal($"/{Tenant}/desk/password", response.Headers.Location?.OriginalString);
            }
        }
    }

    /// <summary>A browser that opens a page of another role (a typed address, an old link) gets a page with the
    /// account's own menu and a sentence, in its language; a fetch keeps the bare 403.</summary>
    [Fact]
    public async Task A_page_of_another_role_opened_in_a_browser_says_so_with_the_own_menu_not_a_problem_document()
    {
        using var officer = await SignInAsync(Tenant, "po-browser", AgentAuthorization.PrivacyRole);
        foreach (var (query, title, text, own, other) in new[]
        {
            ("", "<title>Geen toegang – ", "Deze pagina is niet voor uw rol.", ">Inzage-log<", "Medewerkers beheren"),
            ("?lang=en", "<title>No access – ", "This page is not for your role.", ">Access log<", "Manage agents"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/{Tenant}/desk/admin{query}");
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
            var response = await officer.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(title, html);
            Assert.Contains(text, html);
            Assert.Contains(own, html);
            Assert.DoesNotContain(other, html);
        }

        var fetch = await officer.GetAsync("/desk/admin");
        Assert.Equal(HttpStatusCode.Forbidden, fetch.StatusCode);
        Assert.NotEqual("text/html", fetch.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_plain_agent_gets_403_on_the_audit_pages_and_on_account_management()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-target-2");
        var target = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-target-2"))!;
        using var agent = await SignInAsync(Tenant, "po-plain", role: null);

        Assert.DoesNotContain("/desk/admin", await agent.ReadAsync("/desk"));
        foreach (var path in ReadPaths.Append("/desk/admin"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(path)).StatusCode);
        }

        foreach (var (action, fields) in ManagementPosts(target.Id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync("/desk", action, fields)).StatusCode);
        }
    }

    [Fact]
    public async Task A_privacy_officer_of_one_municipality_gets_nothing_of_another()
    {
        await SeedAccessAsync(desk.TenantA, ("iso-po-anna", "iso-po-shared"));
        await SeedAccessAsync(desk.TenantB, ("iso-po-bert", "iso-po-shared"));
        await SeedAdminAuditAsync(desk.TenantB, ("iso-po-admin-b", AdminActions.Delete, "iso-po-victim-b", null, Yesterday));
        using var officer = await SignInAsync(desk.TenantA, "iso-po", AgentAuthorization.PrivacyRole);

        var own = await officer.ReadAsync("/desk/admin/access-log?session=iso-po-shared");
        Assert.Contains(">iso-po-anna</a>", own);
        Assert.DoesNotContain("iso-po-bert", own);
        Assert.DoesNotContain("iso-po-bert", await officer.ReadAsync("/desk/admin/access-log.csv?session=iso-po-shared"));
        Assert.DoesNotContain("iso-po-admin-b", await officer.ReadAsync("/desk/admin/audit"));

        // A's cookie presented at B's pages by hand opens nothing there: sent to B's sign-in.
        foreach (var path in ReadPaths)
        {
            var response = await officer.CookieAtAsync(desk.Server.Client, desk.TenantB, path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith($"/{desk.TenantB}/desk/login", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Granting_and_revoking_the_privacy_role_is_audited_listed_for_the_officer_and_reaches_open_sessions()
    {
        using var admin = await SignInAsync(Tenant, "po-grantor", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-grantee");
        using var grantee = DeskAgent.For(desk, Tenant);
        await grantee.SignInAsync("po-grantee");
        Assert.Equal(HttpStatusCode.Forbidden, (await grantee.GetAsync("/desk/admin/access-log")).StatusCode);

        var granted = await AdminPostAsync(admin, "po-grantee", "role", ("privacy", "true"));
        Assert.Contains("Nu functionaris gegevensbescherming: po-grantee", granted);
        Assert.Contains("po-grantee (FG)", granted);
        // The role takes the contacts away: the agent's open session ends at once (a new security stamp); until
        // 2026-11-27 it kept opening contacts for up to a minute. Signed in again, the account is the officer.
        Assert.Equal(HttpStatusCode.Unauthorized, (await grantee.GetAsync("/desk/contacts")).StatusCode);
        await grantee.SignInAsync("po-grantee");
        foreach (var path in ReadPaths)
        {
            Assert.Equal(HttpStatusCode.OK, (await grantee.GetAsync(path)).StatusCode);
        }

        // From then on the officer handles no contacts.
        Assert.Equal(HttpStatusCode.Forbidden, (await grantee.GetAsync("/desk/contacts")).StatusCode);

        var listed = await grantee.ReadAsync("/desk/admin/audit");
        Assert.Matches("<td>po-grantor</td>\\s*<td>functionaris gegevensbescherming gemaakt</td>\\s*<td>po-grantee</td>", listed);

        var revoked = await AdminPostAsync(admin, "po-grantee", "role", ("privacy", "false"));
        Assert.Contains("Geen functionaris gegevensbescherming meer: po-grantee", revoked);
        // A revoked role ends the session at once too; signed in again, the account is an agent.
        Assert.Equal(HttpStatusCode.Redirect, (await grantee.GetAsync("/desk/admin/access-log")).StatusCode);
        await grantee.SignInAsync("po-grantee");
        Assert.Equal(HttpStatusCode.Forbidden, (await grantee.GetAsync("/desk/admin/access-log")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await grantee.GetAsync("/desk")).StatusCode);

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.AdminName == "po-grantor" && !AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([(AdminActions.Role, "+privacy"), (AdminActions.Role, "-privacy")], trail.Select(r => (r.Action, r.Detail)));
        Assert.All(trail, r => Assert.Equal("po-grantee", r.AgentName));
        Assert.Matches("<td>po-grantor</td>\\s*<td>rol functionaris gegevensbescherming ingetrokken</td>\\s*<td>po-grantee</td>", revoked);
    }

    [Fact]
    public async Task Granting_the_privacy_role_removes_the_agents_chat_presence()
    {
        using var admin = await SignInAsync(Tenant, "po-present-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-present");
        var present = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-present"))!;
        await desk.Server.App.Services.GetRequiredService<ChatStore>().SetAvailableAsync(Tenant, present.Id, true, CancellationToken.None);

        Assert.Contains("Nu functionaris gegevensbescherming: po-present", await AdminPostAsync(admin, "po-present", "role", ("privacy", "true")));
        await using var db = desk.Databases.Open(Tenant);
        Assert.False(await db.AgentPresence.AnyAsync(p => p.AgentId == present.Id));
    }

    [Fact]
    public async Task An_agent_still_holding_a_chat_is_made_officer_only_once_it_has_ended()
    {
        using var admin = await SignInAsync(Tenant, "po-busy-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-busy");
        var busy = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-busy"))!;
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, busy);

        // As officer they could no longer open the chat, and the resident would wait on nobody: refused, nothing changed.
        var refused = await AdminPostAsync(admin, "po-busy", "role", HttpStatusCode.BadRequest, ("privacy", "true"));
        Assert.Contains("heeft nog chats, gesprekken of videoafspraken", refused);
        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == busy.Id));
        }

        Assert.True(await desk.Server.App.Services.GetRequiredService<ChatStore>().EndAsync(Tenant, chat, CancellationToken.None));
        Assert.Contains("Nu functionaris gegevensbescherming: po-busy", await AdminPostAsync(admin, "po-busy", "role", ("privacy", "true")));
    }

    [Fact]
    public async Task One_account_never_holds_both_roles_and_an_administrator_cannot_make_themselves_officer()
    {
        using var admin = await SignInAsync(Tenant, "po-sod-admin", AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-sod-other-admin", role: AgentAuthorization.AdminRole);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "po-sod-officer", role: AgentAuthorization.PrivacyRole);

        var refused = await AdminPostAsync(admin, "po-sod-other-admin", "role", HttpStatusCode.BadRequest, ("privacy", "true"));
        Assert.Contains("Een beheerder kan niet ook functionaris gegevensbescherming zijn", refused);
        var officer = (await DeskAgent.FindAsync(desk.Databases, Tenant, "po-sod-officer"))!;
        var english = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{officer.Id}/role?lang=en", ("admin", "true"));
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("The data protection officer cannot also be an administrator", await english.Content.ReadAsStringAsync());
        await admin.ReadAsync("/desk/admin?lang=nl"); // the choice sticks: back to Dutch
        await AdminPostAsync(admin, "po-sod-admin", "role", HttpStatusCode.BadRequest, ("privacy", "true"));
        await AdminPostAsync(admin, "po-sod-other-admin", "role", HttpStatusCode.BadRequest, ("privacy", "true"), ("admin", "false"));

        // Created with one role at most: the form's radio buttons send one; anything else is refused.
        var created = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "po-sod-new"), ("role", "privacy"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("po-sod-new (FG)", await created.Content.ReadAsStringAsync());
        var bogus = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "po-sod-bogus"), ("role", "superuser"));
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("Onbekende rol.", await bogus.Content.ReadAsStringAsync());
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "po-sod-bogus"));

        await using var db = desk.Databases.Open(Tenant);
        var roles = await db.UserRoles.Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { u.UserName, r.RoleId })
            .Join(db.Roles, x => x.RoleId, r => r.Id, (x, r) => new { x.UserName, r.Name })
            .Where(x => x.UserName!.StartsWith("po-sod-")).OrderBy(x => x.UserName).ToListAsync();
        Assert.Equal(
            [("po-sod-admin", "admin"), ("po-sod-new", "privacy"), ("po-sod-officer", "privacy"), ("po-sod-other-admin", "admin")],
            roles.Select(x => (x.UserName!, x.Name!)));
        var trail = await db.AdminAudit.Where(r => r.AdminName == "po-sod-admin" && !AdminActions.SignIns.Contains(r.Action)).Select(r => new { r.Action, r.AgentName, r.Detail }).ToListAsync();
        Assert.Equal([(AdminActions.Create, "po-sod-new", "privacy")], trail.Select(r => (r.Action, r.AgentName, r.Detail)));
    }

    [Fact]
    public async Task The_administrator_actions_page_lists_account_changes_and_log_reads_apart_newest_first_in_pages_of_fifty()
    {
        // Tenant D: no other test of this class writes administrator actions there, so the pages are these alone.
        var t = desk.TenantD;
        var start = Yesterday.AddHours(-2);
        await SeedAdminAuditAsync(t, [.. Enumerable.Range(0, 120).Select(i => ("pg-admin", AdminActions.Extension, $"pg-agent-{i:D3}", (string?)$"{i}", start.AddSeconds(i)))]);
        await SeedAdminAuditAsync(t,
            ("pg-admin", AdminActions.AccessLog, "", null, start.AddMinutes(30)),
            ("pg-admin", AdminActions.AccessLogExport, "pg-agent-007", "agent=pg-agent-007", start.AddMinutes(31)));
        using var officer = await SignInAsync(t, "pg-officer", AgentAuthorization.PrivacyRole);

        var first = await officer.ReadAsync("/desk/admin/audit");
        Assert.Equal(Enumerable.Range(70, 50).Reverse().Select(i => $"pg-agent-{i:D3}"), Changes(first).Select(c => c.Agent));
        Assert.Equal(("pg-admin", "toestel ingesteld op 119"), (Changes(first)[0].Admin, Changes(first)[0].Action));
        Assert.DoesNotContain("inzage-log", string.Concat(Changes(first).Select(c => c.Action)));
        Assert.Contains("Pagina 1", first);
        Assert.Contains($"href=\"/{t}/desk/admin/audit?page=2\" rel=\"next\"", first);
        Assert.DoesNotContain("rel=\"prev\"", first);

        var third = await officer.ReadAsync("/desk/admin/audit?page=3");
        Assert.Equal(Enumerable.Range(0, 20).Reverse().Select(i => $"pg-agent-{i:D3}"), Changes(third).Select(c => c.Agent));
        Assert.Contains($"href=\"/{t}/desk/admin/audit?page=2\" rel=\"prev\"", third);
        Assert.DoesNotContain("rel=\"next\"", third);

        var reads = await officer.ReadAsync("/desk/admin/audit?kind=reads&lang=en");
        Assert.Matches("<td>pg-admin</td>\\s*<td>access log downloaded: agent=pg-agent-007</td>\\s*</tr>\\s*<tr>\\s*<td><time[^>]*>[^<]*</time></td>\\s*<td>pg-admin</td>\\s*<td>access log viewed: everything</td>", reads);
        Assert.DoesNotContain("extension set to", reads);
        Assert.Contains("aria-current=\"page\">Reads of the access log</a>", reads);
        await officer.ReadAsync("/desk/admin/audit?lang=nl"); // the choice sticks: back to Dutch

        // Reading this page changes nothing and is not itself a row: the list would fill itself.
        await using (var db = desk.Databases.Open(t))
        {
            Assert.False(await db.AdminAudit.AnyAsync(r => r.AdminName == "pg-officer" && !AdminActions.SignIns.Contains(r.Action)));
        }

        foreach (var (query, message) in new[] { ("?page=0", "De pagina moet een getal van 1 tot en met 200 zijn."), ("?page=201", "tot en met 200"), ("?page=x", "De pagina"), ("?kind=everything", "Onbekende soort beheeractie."), ("?page=1&page=2", "De pagina") })
        {
            var response = await officer.GetAsync("/desk/admin/audit" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains(message, page);
            Assert.DoesNotContain("pg-agent-", page);
            // The error takes the focus, which has a screen reader read it; an alert as well would have it read twice.
            Assert.Contains("<p class=\"error\" id=\"admin-audit-error\" tabindex=\"-1\" data-focus-on-load>", page);
            Assert.DoesNotContain("role=\"alert\"", page);
        }
    }

    private static (string Action, (string, string)[] Fields)[] ManagementPosts(string targetId) =>
    [
        ("/desk/admin/agents", [("userName", "po-made"), ("role", "admin")]),
        ($"/desk/admin/agents/{targetId}/delete", []),
        ($"/desk/admin/agents/{targetId}/reset", []),
        ($"/desk/admin/agents/{targetId}/extension", [("extension", "999")]),
        ($"/desk/admin/agents/{targetId}/role", [("admin", "true")]),
        ($"/desk/admin/agents/{targetId}/role", [("privacy", "true")]),
    ];

    private Task<DeskAgent> SignInAsync(string tenant, string userName, string? role) => DeskAgent.SignedInAsync(desk, tenant, userName, role);

    private async Task<string> AdminPostAsync(DeskAgent admin, string userName, string action, params (string, string)[] fields) =>
        await AdminPostAsync(admin, userName, action, HttpStatusCode.OK, fields);

    private async Task<string> AdminPostAsync(DeskAgent admin, string userName, string action, HttpStatusCode expected, params (string, string)[] fields)
    {
        var agent = await DeskAgent.FindAsync(desk.Databases, Tenant, userName);
        var response = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{agent!.Id}/{action}", fields);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, page);
        return page;
    }

    private async Task SeedAccessAsync(string tenant, params (string Agent, string Session)[] records)
    {
        await using var db = desk.Databases.Open(tenant);
        db.Audit.AddRange(records.Select(r => new AuditRecord { AgentId = "id-of-agent", AgentName = r.Agent, SessionId = r.Session, Action = AuditActions.View, At = Yesterday }));
        await db.SaveChangesAsync();
    }

    private async Task SeedAdminAuditAsync(string tenant, params (string Admin, string Action, string Agent, string? Detail, DateTimeOffset At)[] records)
    {
        await using var db = desk.Databases.Open(tenant);
        db.AdminAudit.AddRange(records.Select(r => new AdminAuditRecord { AdminId = "id-" + r.Admin, AdminName = r.Admin, Action = r.Action, AgentId = "id-" + r.Agent, AgentName = r.Agent, Detail = r.Detail, At = r.At }));
        await db.SaveChangesAsync();
    }

    private static List<(string Admin, string Action, string Agent)> Changes(string page) =>
        ChangeRow().Matches(page).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value))).ToList();

    [GeneratedRegex("<td><time datetime=\"[^\"]+\">[^<]+</time></td>\\s*<td>([^<]*)</td>\\s*<td>([^<]*)</td>\\s*<td>([^<]*)</td>")]
    private static partial Regex ChangeRow();
}

public sealed class SqlitePrivacyOfficerTests(SqliteDeskServer desk) : PrivacyOfficerTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresPrivacyOfficerTests(PostgresDeskServer desk) : PrivacyOfficerTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
