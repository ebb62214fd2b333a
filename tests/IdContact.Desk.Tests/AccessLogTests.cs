using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>The administrators' access log (X1 made answerable), run once per database provider.</summary>
public abstract partial class AccessLogTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private string Tenant => desk.TenantA;

    /// <summary>A day well inside the audit retention (the server's own sweep runs on the real clock), as Amsterdam reads it.</summary>
    private static readonly DateOnly Day = DateOnly.FromDateTime(DutchTime.Of(DateTimeOffset.UtcNow)).AddDays(-40);

    [Fact]
    public async Task Filters_by_agent_session_period_and_action_return_exactly_the_matching_records_newest_first()
    {
        // Around the end of Day in Amsterdam: 23:30 is still Day, 00:30 the next day is not (both are Day in UTC).
        await SeedAsync(Tenant,
            ("f-anna", "f-s1", "view", At(Day, 9, 0)),
            ("f-anna", "f-s2", "take", At(Day, 23, 30)),
            ("f-anna", "f-s1", "view", At(Day.AddDays(1), 0, 30)),
            ("f-anna", "f-s3", "transfer", At(Day.AddDays(-1), 12, 0)),
            ("f-bert", "f-s1", "view", At(Day, 10, 0)),
            ("f-bert", "f-s4", AppointmentCancellation.AuditAction, At(Day.AddDays(2), 8, 0)),
            ("f-anna-2", "f-s1", "view", At(Day, 11, 0)));
        using var admin = await AdminAsync(Tenant, "f-admin");
        var day = AccessLogFilter.Day(Day);

        Assert.Equal(["f-s1", "f-s2", "f-s1", "f-s3"], Sessions(await PageAsync(admin, "?agent=f-anna")));
        Assert.Equal(
            [("f-anna", "f-s1"), ("f-anna-2", "f-s1"), ("f-bert", "f-s1"), ("f-anna", "f-s1")],
            Rows(await PageAsync(admin, "?session=f-s1")).Select(r => (r.Agent, r.Session)));
        Assert.Equal(["f-s2", "f-s1"], Sessions(await PageAsync(admin, $"?agent=f-anna&from={day}&to={day}")));
        var next = AccessLogFilter.Day(Day.AddDays(1));
        Assert.Equal(["f-s1"], Sessions(await PageAsync(admin, $"?agent=f-anna&from={next}&to={next}")));
        Assert.Equal(["f-s2"], Sessions(await PageAsync(admin, "?agent=f-anna&action=take")));
        Assert.Equal(["f-s4"], Sessions(await PageAsync(admin, $"?agent=f-bert&from={AccessLogFilter.Day(Day.AddDays(1))}")));
        Assert.Equal(["f-s3"], Sessions(await PageAsync(admin, $"?agent=f-anna&to={AccessLogFilter.Day(Day.AddDays(-1))}")));
        Assert.Equal(["f-s4"], Sessions(await PageAsync(admin, $"?action={AppointmentCancellation.AuditAction}&session=f-s4")));

        // Shown in Dutch time and words; the English page uses English labels.
        var page = await PageAsync(admin, $"?session=f-s2");
        Assert.Contains($"{Day:dd-MM-yyyy} 23:30:00", page);
        Assert.Contains("<td>contact aangenomen</td>", page);
        Assert.Contains("1 registratie", page);
        Assert.Contains("<td>took the contact</td>", await PageAsync(admin, $"?session=f-s2&lang=en"));
        Assert.Contains("<td>contact aangenomen</td>", await PageAsync(admin, $"?session=f-s2&lang=nl")); // the choice sticks

        var none = await PageAsync(admin, "?agent=f-nobody");
        Assert.Contains("Geen inzagen gevonden.", none);
        Assert.Empty(Rows(none));
    }

    [Fact]
    public async Task Pages_of_a_hundred_newest_first_with_links_that_keep_the_filters()
    {
        var records = Enumerable.Range(0, 205).Select(i => ("p-agent", $"p-s{i:D3}", "view", At(Day, 8, 0).AddSeconds(i))).ToArray();
        await SeedAsync(Tenant, records);
        using var admin = await AdminAsync(Tenant, "p-admin");

        var first = await PageAsync(admin, "?agent=p-agent&action=view");
        Assert.Contains("205 registraties, nieuwste eerst", first);
        Assert.Equal(Enumerable.Range(105, 100).Reverse().Select(i => $"p-s{i:D3}"), Sessions(first));
        Assert.Contains("Pagina 1 van 3", first);
        Assert.Contains($"href=\"/{Tenant}/desk/admin/access-log?agent=p-agent&amp;action=view&amp;page=2\" rel=\"next\"", first);
        Assert.Contains($"href=\"/{Tenant}/desk/admin/access-log.csv?agent=p-agent&amp;action=view\"", first);

        var third = await PageAsync(admin, "?agent=p-agent&action=view&page=3");
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"p-s{i:D3}"), Sessions(third));
        Assert.Contains($"href=\"/{Tenant}/desk/admin/access-log?agent=p-agent&amp;action=view&amp;page=2\" rel=\"prev\"", third);
        Assert.DoesNotContain("rel=\"next\"", third);

        // Past the last page: nothing, said plainly; past the count cap: refused.
        Assert.Contains("Geen inzagen gevonden.", await PageAsync(admin, "?agent=p-agent&page=4"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/desk/admin/access-log?page={AccessLog.MaxPage + 1}")).StatusCode);
    }

    [Fact]
    public async Task The_csv_holds_the_filtered_records_quoted_and_with_formulas_neutralised()
    {
        await SeedAsync(Tenant,
            ("=HYPERLINK(\"http://evil\",\"x\")", "c-s1", "view", At(Day, 9, 0)),
            ("=HYPERLINK(\"http://evil\",\"x\")", "+c-s2", "take", At(Day, 9, 1)),
            ("=HYPERLINK(\"http://evil\",\"x\")", "-c,s3", "transfer", At(Day, 9, 2)),
            ("=HYPERLINK(\"http://evil\",\"x\")", "@c-s4", "view", At(Day, 9, 3)),
            ("\tc-tab", "c-s5", "view", At(Day.AddDays(3), 9, 4)),
            ("c-other", "c-s6", "view", At(Day, 9, 5)));
        using var admin = await AdminAsync(Tenant, "c-admin");

        var day = AccessLogFilter.Day(Day);
        var response = await admin.GetAsync($"/desk/admin/access-log.csv?agent={Uri.EscapeDataString("=HYPERLINK(\"http://evil\",\"x\")")}&from={day}&to={day}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"inzagelog-{Tenant}-{day}-{day}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        var agent = "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"";
        var utc = (int minute) => At(Day, 9, minute).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
        [
            "tijdstip (Europe/Amsterdam),tijdstip (UTC),medewerker,medewerker-id,actie,omschrijving,sessie",
            $"{day} 09:03:00,{utc(3)},{agent},id-of-agent,view,gegevens bekeken,'@c-s4",
            $"{day} 09:02:00,{utc(2)},{agent},id-of-agent,transfer,chat overgedragen,\"'-c,s3\"",
            $"{day} 09:01:00,{utc(1)},{agent},id-of-agent,take,contact aangenomen,'+c-s2",
            $"{day} 09:00:00,{utc(0)},{agent},id-of-agent,view,gegevens bekeken,c-s1",
            "",
        ], lines);

        // A tab first is neutralised too; the English download has English headers, labels and file name.
        var english = await admin.GetAsync("/desk/admin/access-log.csv?session=c-s5&lang=en");
        Assert.Equal($"access-log-{Tenant}-start-now.csv", english.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await english.Content.ReadAsStringAsync();
        Assert.StartsWith("time (Europe/Amsterdam),time (UTC),agent,agent id,action,description,session\r\n", text.TrimStart('\uFEFF'));
        Assert.EndsWith(",'\tc-tab,id-of-agent,view,viewed the data,c-s5\r\n", text);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+31201111111", "'+31201111111")]
    [InlineData("-", "'-")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("a\nb", "\"a\nb\"")]
    [InlineData("a=b", "a=b")]
    public void A_csv_cell_is_quoted_as_rfc_4180_says_and_never_starts_a_formula(string value, string cell) =>
        Assert.Equal(cell, AccessLogCsv.Cell(value));

    [Theory]
    [InlineData("?from=2026-13-01", "De begindatum is geen datum", "f-from")]
    [InlineData("?to=gisteren", "De einddatum is geen datum", "f-to")]
    [InlineData("?from=2026-03-02&to=2026-03-01", "De begindatum ligt na de einddatum.", "f-from")]
    [InlineData("?from=0001-01-01", "De begindatum is geen datum", "f-from")]
    [InlineData("?to=9999-12-31", "De einddatum is geen datum", "f-to")]
    [InlineData("?action=delete-everything", "Onbekende actie.", "f-action")]
    [InlineData("?page=0", "De pagina moet een getal van 1 tot en met 1000 zijn.", null)]
    [InlineData("?page=-3", "De pagina moet een getal", null)]
    [InlineData("?page=99999999999999999999", "De pagina moet een getal", null)]
    [InlineData("?page=2.5", "De pagina moet een getal", null)]
    [InlineData("?agent=a&agent=b", "Het filter &#x27;agent&#x27; is meer dan eens opgegeven.", "f-agent")]
    [InlineData("?session=" + "s123456789s123456789s123456789s123456789s123456789s123456789s1234x", "Het sessienummer is langer dan 64 tekens.", "f-session")]
    public async Task Bad_filter_input_is_a_400_page_with_a_message_on_its_field_for_the_page_and_the_csv(string query, string message, string? field)
    {
        using var admin = await AdminAsync(Tenant, "bad-admin");
        var before = await AdminAuditCountAsync(Tenant, "bad-admin");
        foreach (var path in new[] { "/desk/admin/access-log", "/desk/admin/access-log.csv" })
        {
            var response = await admin.GetAsync(path + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains(message, page);
            Assert.Contains("<div class=\"error-summary\" id=\"access-log-error\" tabindex=\"-1\" data-focus-on-load", page);
            Assert.DoesNotContain("id=\"access-log\"", page);
            if (field is not null)
            {
                FieldErrors.AssertLinked(page, field, "access-log-error");
            }

            // Only the field it is about is marked: the page and the resident reference have no field.
            Assert.Equal(field is null ? 0 : 1, page.Split("aria-invalid=\"true\"").Length - 1);
        }

        // Nothing was read, so nothing is recorded as read.
        Assert.Equal(before, await AdminAuditCountAsync(Tenant, "bad-admin"));
    }

    [Fact]
    public async Task An_over_long_user_name_is_refused_in_english_too()
    {
        using var admin = await AdminAsync(Tenant, "long-admin");
        var response = await admin.GetAsync($"/desk/admin/access-log?lang=en&agent={new string('x', AccessLogFilter.MaxAgentLength + 1)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The user name is longer than 256 characters.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_administrator_sees_only_the_own_municipalitys_records()
    {
        await SeedAsync(desk.TenantA, ("iso-anna", "iso-shared", "view", At(Day, 9, 0)));
        await SeedAsync(desk.TenantB, ("iso-bert", "iso-shared", "view", At(Day, 9, 1)));
        using var adminA = await AdminAsync(desk.TenantA, "iso-admin");
        using var adminB = await AdminAsync(desk.TenantB, "iso-admin");

        Assert.Equal([("iso-anna", "iso-shared")], Rows(await PageAsync(adminA, "?session=iso-shared")).Select(r => (r.Agent, r.Session)));
        Assert.Equal([("iso-bert", "iso-shared")], Rows(await PageAsync(adminB, "?session=iso-shared")).Select(r => (r.Agent, r.Session)));
        Assert.DoesNotContain("iso-bert", await (await adminA.GetAsync("/desk/admin/access-log.csv?session=iso-shared")).Content.ReadAsStringAsync());
        Assert.DoesNotContain("iso-bert", await PageAsync(adminA, ""));

        // A's cookie presented at B's access log by hand opens nothing there: sent to B's sign-in.
        foreach (var path in new[] { "access-log?session=iso-shared", "access-log.csv?session=iso-shared" })
        {
            var response = await adminA.CookieAtAsync(desk.Server.Client, desk.TenantB, "/desk/admin/" + path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith($"/{desk.TenantB}/desk/login", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Agents_without_the_administrator_role_are_refused_and_strangers_sent_to_sign_in()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "plain-agent");
        using var agent = DeskAgent.For(desk, Tenant);
        await agent.SignInAsync("plain-agent");
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/desk")).StatusCode);
        using var stranger = DeskAgent.For(desk, Tenant);
        foreach (var path in new[] { "/desk/admin/access-log", "/desk/admin/access-log.csv", "/desk/admin/access-log?agent=x&page=2" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(path)).StatusCode);
            var redirected = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.StartsWith($"/{Tenant}/desk/login?returnUrl=", redirected.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Reading_and_downloading_the_log_are_administrator_actions_in_the_admin_audit()
    {
        await SeedAsync(Tenant, ("r-anna", "r-s1", "view", At(Day, 9, 0)));
        using var admin = await AdminAsync(Tenant, "r-admin");
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var day = AccessLogFilter.Day(Day);

        await PageAsync(admin, $"?agent=r-anna&session=r-s1&from={day}&action=view");
        await PageAsync(admin, "");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/desk/admin/access-log.csv?agent=r-anna&to={day}")).StatusCode);

        await using (var db = desk.Databases.Open(Tenant))
        {
            var trail = await db.AdminAudit.Where(r => r.AdminName == "r-admin" && !AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal([AdminActions.AccessLog, AdminActions.AccessLog, AdminActions.AccessLogExport], trail.Select(r => r.Action));
            Assert.Equal([$"agent=r-anna; session=r-s1; from={day}; action=view", null, $"agent=r-anna; to={day}"], trail.Select(r => r.Detail));
            Assert.Equal(["r-anna", "", "r-anna"], trail.Select(r => r.AgentName));
            Assert.All(trail, r => Assert.InRange(r.At, start, DateTimeOffset.UtcNow));
        }

        var adminPage = await (await admin.GetAsync("/desk/admin")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"/{Tenant}/desk/admin/access-log\"", adminPage);
        // Listed apart from the account changes, so paging through the log does not push those off the page.
        var reads = adminPage[adminPage.IndexOf("id=\"access-log-reads\"", StringComparison.Ordinal)..];
        var accounts = adminPage[adminPage.IndexOf("id=\"admin-audit\"", StringComparison.Ordinal)..adminPage.IndexOf("id=\"reads-h\"", StringComparison.Ordinal)];
        Assert.Matches($"<td>r-admin</td>\\s*<td>inzage-log bekeken: agent=r-anna; session=r-s1; from={day}; action=view</td>", reads);
        Assert.Matches("<td>r-admin</td>\\s*<td>inzage-log bekeken: alles</td>", reads);
        Assert.Matches($"<td>r-admin</td>\\s*<td>inzage-log gedownload: agent=r-anna; to={day}</td>", reads);
        Assert.DoesNotContain("inzage-log", accounts);
    }

    [Fact]
    public async Task A_deleted_accounts_records_are_marked_so_a_new_holder_of_the_name_is_not_taken_for_them()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "d-jan");
        var old = (await DeskAgent.FindAsync(desk.Databases, Tenant, "d-jan"))!;
        await SeedFor(old, "d-s1");
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Users.Where(u => u.Id == old.Id).ExecuteDeleteAsync();
        }

        await DeskAgent.CreateAsync(desk.Databases, Tenant, "d-jan");
        var successor = (await DeskAgent.FindAsync(desk.Databases, Tenant, "d-jan"))!;
        Assert.NotEqual(old.Id, successor.Id);
        await SeedFor(successor, "d-s2");
        using var admin = await AdminAsync(Tenant, "d-admin");

        var page = await PageAsync(admin, "?agent=d-jan");
        Assert.Equal(["d-s2", "d-s1"], Sessions(page));
        Assert.Equal(1, Regex.Count(page, "<span class=\"deleted-account\"> \\(account verwijderd\\)</span></td>\\s*<td>[^<]*</td>\\s*<td><a [^>]*>d-s1</a>"));
        Assert.Equal(1, Regex.Count(page, "deleted-account"));
        Assert.Contains("(account deleted)", await PageAsync(admin, "?agent=d-jan&lang=en"));

        async Task SeedFor(Agent agent, string session)
        {
            await using var db = desk.Databases.Open(Tenant);
            db.Audit.Add(AuditRecord.Of(agent, session, AuditActions.View, At(Day, 12, session == "d-s1" ? 0 : 1)));
            await db.SaveChangesAsync();
        }
    }

    /// <summary>An Amsterdam wall-clock time on a day, as the instant it is.</summary>
    private static DateTimeOffset At(DateOnly day, int hour, int minute) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, minute)), DutchTime.Zone), TimeSpan.Zero);

    private async Task SeedAsync(string tenant, params (string Agent, string Session, string Action, DateTimeOffset At)[] records)
    {
        await using var db = desk.Databases.Open(tenant);
        db.Audit.AddRange(records.Select(r => new AuditRecord { AgentId = "id-of-agent", AgentName = r.Agent, SessionId = r.Session, Action = r.Action, At = r.At }));
        await db.SaveChangesAsync();
    }

    private Task<DeskAgent> AdminAsync(string tenant, string userName) => DeskAgent.SignedInAsync(desk, tenant, userName, AgentAuthorization.AdminRole);

    private async Task<int> AdminAuditCountAsync(string tenant, string adminName)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.AdminAudit.CountAsync(r => r.AdminName == adminName && !AdminActions.SignIns.Contains(r.Action));
    }

    private static Task<string> PageAsync(DeskAgent admin, string query) => admin.ReadAsync("/desk/admin/access-log" + query);

    private static List<string> Sessions(string page) => Rows(page).Select(r => r.Session).ToList();

    private static List<(string Time, string Agent, string Action, string Session)> Rows(string page) =>
        Row().Matches(page).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value), WebUtility.HtmlDecode(m.Groups[4].Value))).ToList();

    [GeneratedRegex("<time datetime=\"[^\"]+\">([^<]+)</time></td>\\s*<td><a [^>]*>([^<]*)</a>(?:<span class=\"deleted-account\">[^<]*</span>)?</td>\\s*<td>([^<]*)</td>\\s*<td><a [^>]*>([^<]*)</a></td>")]
    private static partial Regex Row();
}

public sealed class SqliteAccessLogTests(SqliteDeskServer desk) : AccessLogTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresAccessLogTests(PostgresDeskServer desk) : AccessLogTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
