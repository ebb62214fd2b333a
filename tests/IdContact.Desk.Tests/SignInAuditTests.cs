using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.EndToEnd.Tests;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>Staff sign-ins, failures, lock-outs and sign-outs in the admin audit (BIO 12.4.1), once per database provider.</summary>
public abstract class SignInAuditTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const string WrongPassword = "not-the-password-1";

    /// <summary>What someone typed into the name field: perhaps their password. No account has it.</summary>
    private const string TypedAsName = "Geheim-in-het-naamveld-2026";

    private string Tenant => desk.TenantA;

    [Fact]
    public async Task Sign_ins_failures_lock_outs_and_sign_outs_are_recorded_with_the_agent_and_no_password_code_or_unknown_name()
    {
        var before = await AdminAuditTrail.LastIdAsync(desk.Databases, Tenant);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-pw");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-totp", totp: true);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-lock");
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "log-totp");

        using var browser = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync("log-pw", WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("log-pw")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostAsync("/desk", "/desk/logout")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync(TypedAsName, WrongPassword)).StatusCode);

        using var withCode = DeskAgent.For(desk, Tenant);
        await withCode.SignInAsync("log-totp");
        var wrongCode = Totp.Code(key, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.BadRequest, (await withCode.CodeAsync("log-totp", wrongCode)).StatusCode);
        var rightCode = Totp.Code(key, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.SeeOther, (await withCode.CodeAsync("log-totp", rightCode)).StatusCode);

        // Five wrong passwords lock the account (DeskRole.ConfigureIdentity); the right one after that is refused.
        using var guesser = DeskAgent.For(desk, Tenant);
        for (var i = 0; i < 5; i++)
        {
            await guesser.SignInAsync("log-lock", WrongPassword + i);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await guesser.SignInAsync("log-lock")).StatusCode);

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.Id > before && AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(Expected((AdminActions.SignInFailed, "password"), (AdminActions.SignIn, "password"), (AdminActions.SignOut, null)), Of(trail, "log-pw"));
        Assert.Equal(Expected((AdminActions.CodeAsked, "password"), (AdminActions.SignInFailed, "totp"), (AdminActions.SignIn, "password+totp")), Of(trail, "log-totp"));
        Assert.Equal(
            Expected([.. Enumerable.Repeat<(string, string?)>((AdminActions.SignInFailed, "password"), 4), (AdminActions.LockedOut, "password"), (AdminActions.SignInRefused, "password")]),
            Of(trail, "log-lock"));
        var agent = (await DeskAgent.FindAsync(desk.Databases, Tenant, "log-pw"))!;
        Assert.All(trail.Where(r => r.AgentName == "log-pw"), r => Assert.Equal((agent.Id, agent.Id, "log-pw"), (r.AdminId, r.AgentId, r.AdminName)));

        // The unknown name is recorded as an attempt, without the name.
        var unknown = Assert.Single(trail, r => r.Detail == SignInSteps.UnknownUser);
        Assert.Equal((AdminActions.SignInFailed, "", "", "", ""), (unknown.Action, unknown.AdminId, unknown.AdminName, unknown.AgentId, unknown.AgentName));

        var stored = JsonSerializer.Serialize(await db.AdminAudit.ToListAsync());
        foreach (var secret in new[] { TypedAsName, WrongPassword, DeskAgent.Password, key, wrongCode, rightCode })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_right_password_whose_code_never_comes_is_on_record_for_the_administrator()
    {
        // "Someone knows my password": the only trace of a stolen password of an account with two-step verification.
        var before = await AdminAuditTrail.LastIdAsync(desk.Databases, Tenant);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-half", totp: true);
        using (var thief = DeskAgent.For(desk, Tenant))
        {
            Assert.Equal(HttpStatusCode.OK, (await thief.SignInAsync("log-half")).StatusCode);
        }

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.Id > before).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(Expected((AdminActions.CodeAsked, "password")), Of(trail, "log-half"));
        Assert.DoesNotContain(DeskAgent.Password, JsonSerializer.Serialize(trail), StringComparison.Ordinal);

        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "half-admin", AgentAuthorization.AdminRole);
        Assert.Matches("<td>log-half</td>\\s*<td>wachtwoord juist, code gevraagd</td>", WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/audit?kind=sign-ins&lang=nl")));
        Assert.Matches("<td>log-half</td>\\s*<td>right password, code asked</td>", WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/audit?kind=sign-ins&lang=en")));
    }

    [Fact]
    public async Task Guessing_the_current_password_in_a_signed_in_session_records_the_lock_out_once()
    {
        var before = await AdminAuditTrail.LastIdAsync(desk.Databases, Tenant);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-guess");
        using var browser = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("log-guess")).StatusCode);
        for (var i = 0; i < 6; i++)
        {
            var guess = await browser.PostAsync("/desk/password", "/desk/password", ("current", WrongPassword + i), ("new", "gekozen-door-indringer"));
            Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
        }

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.Id > before).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(Expected((AdminActions.SignIn, "password"), (AdminActions.LockedOut, "password")), Of(trail, "log-guess"));
    }

    [Fact]
    public async Task The_audit_page_lists_sign_ins_apart_and_the_admin_page_shows_when_each_agent_last_signed_in()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "page-never");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "page-agent");
        using (var agent = DeskAgent.For(desk, Tenant))
        {
            await agent.SignInAsync("page-agent", WrongPassword);
            Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync("page-agent")).StatusCode);
            await agent.SignInAsync(TypedAsName, WrongPassword);
        }

        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "page-admin", AgentAuthorization.AdminRole);
        var signIns = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin/audit?kind=sign-ins&lang=nl"));
        Assert.Contains("aria-current=\"page\">Aanmeldingen</a>", signIns);
        Assert.Contains("role=\"region\" tabindex=\"0\" aria-label=\"Aanmeldingen, mislukte pogingen, blokkeringen en afmeldingen, nieuwste eerst\"", signIns);
        Assert.Contains("<th scope=\"col\">Medewerker</th>", signIns);
        Assert.Matches("<td>page-agent</td>\\s*<td>aangemeld met wachtwoord</td>", signIns);
        Assert.Matches("<td>page-agent</td>\\s*<td>aanmelden mislukt: wachtwoord onjuist</td>", signIns);
        Assert.Matches("<td><em>\\(onbekende naam\\)</em></td>\\s*<td>aanmelden mislukt: geen account met die naam</td>", signIns);
        Assert.DoesNotContain(TypedAsName, signIns);
        Assert.Contains("signed in with password", await admin.ReadAsync("/desk/admin/audit?kind=sign-ins&lang=en"));

        // Account changes keep their own pages, on the audit page and on Medewerkers beheren.
        var changes = await admin.ReadAsync("/desk/admin/audit?lang=nl");
        Assert.DoesNotContain("aangemeld met", changes);
        var page = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin"));
        Assert.DoesNotContain("aangemeld met", page[page.IndexOf("id=\"audit-h\"", StringComparison.Ordinal)..]);

        Assert.Contains("<th scope=\"col\">Laatst aangemeld</th>", page);
        Assert.Matches("<time datetime=\"[^\"]+\">\\d\\d-\\d\\d-\\d{4} \\d\\d:\\d\\d</time>", Row(page, "page-agent"));
        Assert.Matches("<time datetime=\"[^\"]+\">", Row(page, "page-admin"));
        Assert.Matches(">\\s*nooit\\s*<", Row(page, "page-never"));
        Assert.Matches(">\\s*never\\s*<", Row(await admin.ReadAsync("/desk/admin?lang=en"), "page-never"));
    }

    [Fact]
    public async Task A_sign_in_whose_record_the_database_refuses_still_signs_in_and_logs_a_warning_without_the_name()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "log-refused");
        using var browser = DeskAgent.For(desk, Tenant);
        await using (await RefusingTrigger.CreateAsync(desk.Databases, Tenant, "AdminAudit", "AgentName", "log-refused"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("log-refused")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/desk")).StatusCode);
        }

        var warnings = desk.Logs.Messages.Where(m => m.StartsWith("IdContact.Desk.Admin.SignInAudit:", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, m => m.Contains("A sign-in event (sign-in) could not be recorded", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, m => m.Contains("log-refused", StringComparison.Ordinal));

        // The next sign-in is recorded again, and the refused row was not written later by the same request.
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("log-refused")).StatusCode);
        await using var db = desk.Databases.Open(Tenant);
        Assert.Equal(1, await db.AdminAudit.CountAsync(r => r.AgentName == "log-refused" && r.Action == AdminActions.SignIn));
    }

    private static List<(string, string?)> Expected(params (string, string?)[] records) => [.. records];

    private static List<(string, string?)> Of(List<AdminAuditRecord> trail, string userName) =>
        [.. trail.Where(r => r.AgentName == userName).Select(r => (r.Action, r.Detail))];

    private static string Row(string page, string userName) =>
        Regex.Match(page, $"<tr data-agent=\"{userName}\">.*?</tr>", RegexOptions.Singleline) is { Success: true } row
            ? row.Value
            : throw new InvalidOperationException($"no row for {userName}");
}

public sealed class SqliteSignInAuditTests(SqliteDeskServer desk) : SignInAuditTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresSignInAuditTests(PostgresDeskServer desk) : SignInAuditTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;

internal static class AdminAuditTrail
{
    /// <summary>The newest record's id: a test's own records come after it, whatever the clock.</summary>
    public static async Task<long> LastIdAsync(Tenants.TenantDatabases databases, string tenant)
    {
        await using var db = databases.Open(tenant);
        return await db.AdminAudit.MaxAsync(r => (long?)r.Id) ?? 0;
    }
}
