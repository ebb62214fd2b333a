using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.EndToEnd.Tests;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>Agent account defences (sign-in, TOTP, password, admin actions), run once per database provider.</summary>
public abstract class AgentAccountTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private string Tenant => desk.TenantA;

    [Fact]
    public async Task The_admin_page_says_whose_account_has_two_step_verification_on()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "twostep-on", totp: true);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "twostep-off");
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "twostep-admin", AgentAuthorization.AdminRole);

        var page = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin?lang=nl"));
        Assert.Contains("<th scope=\"col\">Tweestapsverificatie</th>", page);
        Assert.Contains("<td class=\"two-step\">aan</td>", AdminRow(page, "twostep-on"));
        Assert.Contains("<td class=\"two-step\">uit</td>", AdminRow(page, "twostep-off"));
        var english = WebUtility.HtmlDecode(await admin.ReadAsync("/desk/admin?lang=en"));
        Assert.Contains("<th scope=\"col\">Two-step verification</th>", english);
        Assert.Contains("<td class=\"two-step\">on</td>", AdminRow(english, "twostep-on"));
    }

    private static string AdminRow(string page, string userName) =>
        Regex.Match(page, $"<tr data-agent=\"{userName}\">.*?</tr>", RegexOptions.Singleline).Value;

    [Fact]
    public async Task A_totp_code_signs_in_once_even_when_sign_ins_race()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "totp-once", totp: true);
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "totp-once");
        var browsers = Enumerable.Range(0, 4).Select(_ => DeskAgent.For(desk, Tenant)).ToList();
        foreach (var browser in browsers)
        {
            Assert.Contains("one-time-code", await (await browser.SignInAsync("totp-once")).Content.ReadAsStringAsync());
        }

        var code = Totp.Code(key, DateTimeOffset.UtcNow);
        var racing = await Task.WhenAll(browsers.Take(3).Select(b => b.CodeAsync("totp-once", code)));
        Assert.Single(racing, r => r.StatusCode == HttpStatusCode.SeeOther);
        Assert.Equal(2, racing.Count(r => r.StatusCode == HttpStatusCode.BadRequest));

        // Replayed later in the same 30 seconds (or the next), it is still refused.
        var replay = await browsers[3].CodeAsync("totp-once", code);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("De code klopt niet.", await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, (await browsers[3].CodeAsync("totp-once", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)))).StatusCode);
    }

    [Fact]
    public async Task A_stranger_at_the_desk_of_a_made_up_municipality_gets_a_404_problem_whatever_its_name()
    {
        // Authorization once ran before the tenant check: its sign-in redirect named the made-up tenant, and a non-ASCII
        // one could not be written as a Location at all (a 500, found by the bad-input sweep). Now no tenant endpoint runs.
        foreach (var tenant in new[] { "nowhere", "%C3%BCtrecht", "%3Cscript%3Ex" })
        {
            var response = await desk.Server.Client.GetAsync($"/{tenant}/desk/chats/mine");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // The same before any hub negotiates, the residents' hubs (no sign-in) as much as the agents'.
        foreach (var hub in new[] { "chat/hub", "video/hub", "desk/hub", "desk/chat/hub", "desk/video/hub" })
        {
            var response = await desk.Server.Client.PostAsync($"/nowhere/{hub}/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // A real municipality still sends the stranger to sign in.
        var real = await desk.Server.Client.GetAsync($"/{Tenant}/desk/chats/mine");
        Assert.StartsWith($"/{Tenant}/desk/login?returnUrl=", real.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_method_at_a_made_up_municipality_is_the_same_404_problem_and_at_a_real_one_still_a_405()
    {
        // Routing answers a wrong method with its own 405 endpoint (no pattern): that once slipped past the tenant check.
        var unknown = await desk.Server.Client.DeleteAsync("/nowhere/desk/chats/mine");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Unknown municipality", await unknown.Content.ReadAsStringAsync());

        var real = await desk.Server.Client.DeleteAsync($"/{Tenant}/desk/chats/mine");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, real.StatusCode);

        // A path under no municipality keeps its own answer.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await desk.Server.Client.DeleteAsync("/assets/idcontact.css")).StatusCode);
    }

    [Fact]
    public async Task After_sign_in_a_return_address_goes_only_to_the_own_desk_and_one_that_cannot_be_a_location_is_no_500()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "return-url");
        var desks = $"/{Tenant}/desk";
        var cases = new (string ReturnUrl, string Expected)[]
        {
            ($"{desks}/appointments?call=abc", $"{desks}/appointments?call=abc"),
            ("https://evil.example/", desks),
            ("//evil.example/", desks),
            ($"/{desk.TenantB}/desk", desks),
            // A link a stranger sends an agent, signed in by the agent: header injection, and text a Location cannot hold.
            ($"{desks}\r\nSet-Cookie: x=y", desks),
            ($"{desks}/ü", desks),
            ($"{desks}\t/x", desks),
            ($"{desks}\\..\\..\\evil.example", desks),
        };

        foreach (var (returnUrl, expected) in cases)
        {
            using var browser = DeskAgent.For(desk, Tenant);
            var signedIn = await browser.PostAsync("/desk/login", "/desk/login", ("userName", "return-url"), ("password", DeskAgent.Password), ("returnUrl", returnUrl));
            Assert.True(signedIn.StatusCode == HttpStatusCode.SeeOther, $"{returnUrl}: {signedIn.StatusCode}");
            Assert.Equal(expected, signedIn.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task The_sign_in_cookie_stays_under_the_tenants_desk_path_when_it_is_renewed_and_when_signing_out()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "cookie-path");
        using var browser = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("cookie-path")).StatusCode);
        var deskPath = $"/{Tenant}/desk";
        Assert.Equal([deskPath], browser.Cookies.Where(c => c.Name == "idcontact.desk").Select(c => c.Path));

        // Past the security stamp check the cookie is written again: still only under the desk path, never "/".
        browser.AgeSignIn(desk.Server.App.Services, TimeSpan.FromSeconds(61));
        var renewed = await browser.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var written = renewed.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("idcontact.desk=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, c => Assert.Contains($"path={deskPath}", c, StringComparison.OrdinalIgnoreCase));
        Assert.Equal([deskPath], browser.Cookies.Where(c => c.Name == "idcontact.desk").Select(c => c.Path));

        // Signing out removes it from that same path, so nothing of it is left in the browser.
        var signedOut = await browser.PostAsync("/desk", "/desk/logout");
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("idcontact.desk=;", StringComparison.Ordinal) && c.Contains($"path={deskPath}", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(browser.Cookies, c => c.Name == "idcontact.desk");
    }

    [Fact]
    public async Task A_database_failure_while_checking_a_totp_code_is_not_counted_as_a_wrong_code()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "totp-store", totp: true);
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "totp-store");
        var agent = (await DeskAgent.FindAsync(desk.Databases, Tenant, "totp-store"))!;
        using var browser = DeskAgent.For(desk, Tenant);
        Assert.Contains("one-time-code", await (await browser.SignInAsync("totp-store")).Content.ReadAsStringAsync());

        // The first use of a code stores its time step; the database refuses that row. A right code must not come back
        // as "De code klopt niet." nor count towards the lockout: it is the server's failure, not the agent's.
        await using (await RefusingTrigger.CreateAsync(desk.Databases, Tenant, "AuthenticatorUses", "AgentId", agent.Id))
        {
            var failed = await browser.CodeAsync("totp-store", Totp.Code(key, DateTimeOffset.UtcNow));
            Assert.True((int)failed.StatusCode >= 500, $"status {failed.StatusCode}");
            Assert.DoesNotContain("De code klopt niet.", await failed.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, (await DeskAgent.FindAsync(desk.Databases, Tenant, "totp-store"))!.AccessFailedCount);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync("totp-store", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)))).StatusCode);
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_locked_account_get_the_same_answer()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "same-wrong");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "same-locked");
        await DeskAgent.LockAsync(desk.Databases, Tenant, "same-locked");
        using var browser = DeskAgent.For(desk, Tenant);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var (user, password) in new[] { ("same-nobody", DeskAgent.Password), ("same-wrong", "not-the-password-1"), ("same-locked", DeskAgent.Password) })
        {
            var response = await browser.SignInAsync(user, password);
            // The echoed user name and the fresh antiforgery token are the only differences allowed.
            var page = Regex.Replace(await response.Content.ReadAsStringAsync(), "value=\"[^\"]*\"", "value=\"\"");
            answers.Add((response.StatusCode, page));
            Assert.DoesNotContain(browser.Cookies, c => c.Name == "idcontact.desk");
        }

        Assert.Contains("Gebruikersnaam of wachtwoord onjuist, of het account is tijdelijk geblokkeerd.", answers[0].Item2);
        Assert.Equal(HttpStatusCode.BadRequest, answers[0].Item1);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [Fact]
    public async Task Turning_off_two_step_verification_needs_the_password()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "totp-off", totp: true);
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "totp-off");
        using var browser = DeskAgent.For(desk, Tenant);
        await browser.SignInAsync("totp-off");
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync("totp-off", Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);

        var refused = await browser.PostAsync("/desk/account", "/desk/account/totp/disable", ("password", "not-the-password-1"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await DeskAgent.FindAsync(desk.Databases, Tenant, "totp-off"))!.TwoFactorEnabled);

        var done = await browser.PostAsync("/desk/account", "/desk/account/totp/disable", ("password", DeskAgent.Password));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.False((await DeskAgent.FindAsync(desk.Databases, Tenant, "totp-off"))!.TwoFactorEnabled);

        // The agent's own session survives its new security stamp.
        browser.AgeSignIn(desk.Server.App.Services, TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_guessing_it_locks_the_account()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "new-password");
        using var browser = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("new-password")).StatusCode);

        for (var i = 0; i < 5; i++)
        {
            var guess = await browser.PostAsync("/desk/password", "/desk/password", ("current", "guess-number-" + i), ("new", "gekozen-door-indringer"));
            Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
        }

        Assert.True((await DeskAgent.FindAsync(desk.Databases, Tenant, "new-password"))!.LockoutEnd > DateTimeOffset.UtcNow);
        var right = await browser.PostAsync("/desk/password", "/desk/password", ("current", DeskAgent.Password), ("new", "gekozen-door-indringer"));
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
    }

    [Fact]
    public async Task A_deleted_agent_sees_no_contact_at_once_and_a_handed_out_password_comes_before_any_contact()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "gone-now");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "must-change");
        using var gone = DeskAgent.For(desk, Tenant);
        using var fresh = DeskAgent.For(desk, Tenant);
        await gone.SignInAsync("gone-now");
        await fresh.SignInAsync("must-change");
        foreach (var agent in new[] { gone, fresh })
        {
            Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/desk/contacts")).StatusCode);
        }

        // No security stamp check in between: the agent is looked up on every request, the cookie alone is not enough.
        await using (var db = desk.Databases.Open(Tenant))
        {
            await db.Users.Where(u => u.UserName == "gone-now").ExecuteDeleteAsync();
            await db.Users.Where(u => u.UserName == "must-change").ExecuteUpdateAsync(u => u.SetProperty(a => a.MustChangePassword, true));
        }

        foreach (var path in new[] { "/desk", "/desk/contacts", "/desk/calls/some-call" })
        {
            var refused = await gone.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var redirected = await fresh.GetAsync(path);
            Assert.Equal(HttpStatusCode.SeeOther, redirected.StatusCode);
            Assert.Equal($"/{Tenant}/desk/password", redirected.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Delete_and_reset_reach_open_sessions_within_a_minute()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "end-admin", isAdmin: true);
        using var admin = DeskAgent.For(desk, Tenant);
        await admin.SignInAsync("end-admin");
        var sessions = new Dictionary<string, DeskAgent>();
        foreach (var user in new[] { "end-deleted", "end-reset" })
        {
            await DeskAgent.CreateAsync(desk.Databases, Tenant, user);
            sessions[user] = DeskAgent.For(desk, Tenant);
            await sessions[user].SignInAsync(user);
            Assert.Equal(HttpStatusCode.OK, (await sessions[user].GetAsync("/desk")).StatusCode);
        }

        await AdminPostAsync(admin, "end-deleted", "delete", ("confirmed", "yes"));
        await AdminPostAsync(admin, "end-reset", "reset");

        // A minute on, each session meets the change at its security stamp check.
        foreach (var session in sessions.Values)
        {
            session.AgeSignIn(desk.Server.App.Services, TimeSpan.FromSeconds(61));
        }

        Assert.Equal(HttpStatusCode.Redirect, (await sessions["end-deleted"].GetAsync("/desk")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await sessions["end-reset"].GetAsync("/desk")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_role_ends_the_accounts_sessions_at_once_a_granted_administrator_role_does_not()
    {
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "role-end-admin", AgentAuthorization.AdminRole);
        using var demoted = await DeskAgent.SignedInAsync(desk, Tenant, "role-end-demoted", AgentAuthorization.AdminRole);
        using var promoted = await DeskAgent.SignedInAsync(desk, Tenant, "role-end-promoted", null);
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/desk/admin")).StatusCode);

        // Until 2026-11-27 a removed administrator kept the role in the cookie for up to a minute: enough to make
        // another account administrator. The new security stamp refuses the cookie at its very next request.
        await AdminPostAsync(admin, "role-end-demoted", "role", ("admin", "false"));
        Assert.Equal(HttpStatusCode.Redirect, (await demoted.GetAsync("/desk/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await demoted.GetAsync("/desk")).StatusCode);
        using var again = DeskAgent.For(desk, Tenant);
        await again.SignInAsync("role-end-demoted");
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/desk/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/desk")).StatusCode);

        // A granted role takes nothing away: the session goes on and has it at its next check.
        await AdminPostAsync(admin, "role-end-promoted", "role", ("admin", "true"));
        Assert.Equal(HttpStatusCode.OK, (await promoted.GetAsync("/desk")).StatusCode);
        promoted.AgeSignIn(desk.Server.App.Services, TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await promoted.GetAsync("/desk/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task Opening_the_account_page_for_the_first_time_ends_neither_the_session_nor_its_hub_connections()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "first-account-visit", null);
        var overview = await HubAsync(agent, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        Assert.True(await RenewsAsync(overview));

        // The page makes the agent's first authenticator key to show it; the agent has changed nothing they sign in with.
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/desk/account")).StatusCode);
        Assert.NotEmpty(await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "first-account-visit"));
        Assert.True(await RenewsAsync(overview));
        var again = await HubAsync(agent, "/desk/hub");
        await using var againDisposal = again.DisposedBounded();
        Assert.True(await RenewsAsync(again));

        // A minute on, the session passes its security stamp check.
        agent.AgeSignIn(desk.Server.App.Services, TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_closes_the_agents_open_hub_connections_and_a_handed_out_password_opens_none()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "hub-admin", isAdmin: true);
        using var admin = DeskAgent.For(desk, Tenant);
        await admin.SignInAsync("hub-admin");
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "hub-reset", null);
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, (await DeskAgent.FindAsync(desk.Databases, Tenant, "hub-reset"))!);
        var chats = await HubAsync(agent, "/desk/chat/hub");
        await using var chatsDisposal = chats.DisposedBounded();
        var overview = await HubAsync(agent, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        Assert.True(await ReadsAsync(chats, chat));
        Assert.True(await RenewsAsync(overview));

        // The stolen session's live connections: the page sessions end at the next stamp check, these at once (and at
        // their next call, whichever instance made the change).
        var reset = await AdminPostAsync(admin, "hub-reset", "reset");
        Assert.False(await ReadsAsync(chats, chat));
        Assert.False(await RenewsAsync(overview));

        // Signed in with the handed-out password, the account reaches the password page and no hub.
        using var again = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await again.SignInAsync("hub-reset", OneTimePassword(await reset.Content.ReadAsStringAsync()))).StatusCode);
        var chatsAgain = await HubAsync(again, "/desk/chat/hub");
        await using var chatsAgainDisposal = chatsAgain.DisposedBounded();
        Assert.False(await ReadsAsync(chatsAgain, chat));
        var overviewAgain = await HubAsync(again, "/desk/hub");
        await using var overviewAgainDisposal = overviewAgain.DisposedBounded();
        Assert.False(await RenewsAsync(overviewAgain));

        // A colleague's connection is not disturbed.
        using var colleague = await DeskAgent.SignedInAsync(desk, Tenant, "hub-colleague", null);
        var colleagues = await HubAsync(colleague, "/desk/hub");
        await using var colleaguesDisposal = colleagues.DisposedBounded();
        Assert.True(await RenewsAsync(colleagues));
    }

    [Fact]
    public async Task Hub_connections_that_only_listen_close_at_once_when_an_administrator_resets_or_deletes_the_account()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "listen-admin", isAdmin: true);
        using var admin = DeskAgent.For(desk, Tenant);
        await admin.SignInAsync("listen-admin");
        using var reset = await DeskAgent.SignedInAsync(desk, Tenant, "listen-reset", null);
        using var deleted = await DeskAgent.SignedInAsync(desk, Tenant, "listen-delete", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, Tenant, "listen-colleague", null);
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, (await DeskAgent.FindAsync(desk.Databases, Tenant, "listen-reset"))!);
        var resetChats = await HubAsync(reset, "/desk/chat/hub");
        await using var resetChatsDisposal = resetChats.DisposedBounded();
        var resetOverview = await HubAsync(reset, "/desk/hub");
        await using var resetOverviewDisposal = resetOverview.DisposedBounded();
        var resetWatcher = await HubAsync(reset, "/desk/hub?watching=true");
        await using var resetWatcherDisposal = resetWatcher.DisposedBounded();
        var deletedOverview = await HubAsync(deleted, "/desk/hub");
        await using var deletedOverviewDisposal = deletedOverview.DisposedBounded();
        var colleagues = await HubAsync(colleague, "/desk/hub");
        await using var colleaguesDisposal = colleagues.DisposedBounded();
        // One call each while the accounts are fine; from here on these connections only listen.
        Assert.True(await ReadsAsync(resetChats, chat));
        foreach (var connection in new[] { resetOverview, resetWatcher, deletedOverview, colleagues })
        {
            Assert.True(await RenewsAsync(connection));
        }

        var closed = new[] { resetChats, resetOverview, resetWatcher, deletedOverview }.Select(ClosedAsync).ToList();
        await AdminPostAsync(admin, "listen-reset", "reset");
        await AdminPostAsync(admin, "listen-delete", "delete", ("confirmed", "yes"));

        // Closed by the administrator's instance without waiting for a call or the periodic re-check (300 s in tests).
        await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Connected, colleagues.State);
        Assert.True(await RenewsAsync(colleagues));
    }

    [Fact]
    public async Task The_next_hub_call_of_an_agent_made_data_protection_officer_is_refused_at_once()
    {
        using var officer = await DeskAgent.SignedInAsync(desk, Tenant, "call-officer", null);
        var overview = await HubAsync(officer, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        Assert.True(await RenewsAsync(overview));

        // Made officer elsewhere (this instance hears nothing of it), before any re-check (300 s in tests).
        await using (var identity = new OfflineIdentity(desk.Databases, Tenant))
        {
            await identity.Users.AddToRoleAsync((await identity.Users.FindByNameAsync("call-officer"))!, AgentAuthorization.PrivacyRole);
        }

        Assert.False(await RenewsAsync(overview));
    }

    [Fact]
    public async Task Hub_connections_that_only_listen_close_at_the_recheck_when_the_account_was_revoked_elsewhere()
    {
        using var stamped = await DeskAgent.SignedInAsync(desk, Tenant, "recheck-stamp", null);
        using var deleted = await DeskAgent.SignedInAsync(desk, Tenant, "recheck-delete", null);
        using var officer = await DeskAgent.SignedInAsync(desk, Tenant, "recheck-officer", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, Tenant, "recheck-colleague", null);
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, (await DeskAgent.FindAsync(desk.Databases, Tenant, "recheck-stamp"))!);
        var stampedChats = await HubAsync(stamped, "/desk/chat/hub");
        await using var stampedChatsDisposal = stampedChats.DisposedBounded();
        var stampedOverview = await HubAsync(stamped, "/desk/hub");
        await using var stampedOverviewDisposal = stampedOverview.DisposedBounded();
        var deletedOverview = await HubAsync(deleted, "/desk/hub");
        await using var deletedOverviewDisposal = deletedOverview.DisposedBounded();
        var officerOverview = await HubAsync(officer, "/desk/hub");
        await using var officerOverviewDisposal = officerOverview.DisposedBounded();
        var colleagues = await HubAsync(colleague, "/desk/hub");
        await using var colleaguesDisposal = colleagues.DisposedBounded();
        Assert.True(await ReadsAsync(stampedChats, chat));
        foreach (var connection in new[] { stampedOverview, deletedOverview, officerOverview, colleagues })
        {
            Assert.True(await RenewsAsync(connection));
        }

        // Changed in the database as another instance (or the CLI) would: this instance hears nothing of it.
        await using (var identity = new OfflineIdentity(desk.Databases, Tenant))
        {
            await identity.Users.UpdateSecurityStampAsync((await identity.Users.FindByNameAsync("recheck-stamp"))!);
            await identity.Users.DeleteAsync((await identity.Users.FindByNameAsync("recheck-delete"))!);
            await identity.Users.AddToRoleAsync((await identity.Users.FindByNameAsync("recheck-officer"))!, AgentAuthorization.PrivacyRole);
        }

        var closed = new[] { stampedChats, stampedOverview, deletedOverview, officerOverview }.Select(ClosedAsync).ToList();
        await desk.Server.App.Services.GetRequiredService<AgentHubConnections>().RecheckAsync(CancellationToken.None);
        await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Connected, colleagues.State);
        Assert.True(await RenewsAsync(colleagues));
    }

    private Task<HubConnection> HubAsync(DeskAgent agent, string path) => AgentHubs.ConnectAsync(desk, agent, path);

    /// <summary>Whether the connection still reads the chat's lines (null: not the agent's; a failure: the connection is gone).</summary>
    private static async Task<bool> ReadsAsync(HubConnection connection, string chat)
    {
        try
        {
            return await connection.InvokeAsync<JsonElement?>("Lines", chat, 0L) is { ValueKind: JsonValueKind.Array };
        }
        catch (Exception)
        {
            return false;
        }
    }

    [Fact]
    public async Task Administrator_actions_are_audited_with_who_what_whom_and_when_and_no_password()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "audit-admin", isAdmin: true);
        using var admin = DeskAgent.For(desk, Tenant);
        await admin.SignInAsync("audit-admin");

        var created = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "audit-bert"), ("displayName", "Bert"), ("extension", "202"));
        var passwords = new List<string> { OneTimePassword(await created.Content.ReadAsStringAsync()) };
        passwords.Add(OneTimePassword(await (await AdminPostAsync(admin, "audit-bert", "reset")).Content.ReadAsStringAsync()));
        await AdminPostAsync(admin, "audit-bert", "extension", ("extension", "412"));
        await AdminPostAsync(admin, "audit-bert", "role", ("admin", "true"));
        await AdminPostAsync(admin, "audit-bert", "role", ("admin", "false"));
        await AdminPostAsync(admin, "audit-bert", "delete", ("confirmed", "yes"));

        await using var db = desk.Databases.Open(Tenant);
        var trail = await db.AdminAudit.Where(r => r.AdminName == "audit-admin" && !AdminActions.SignIns.Contains(r.Action)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(["create", "reset", "extension", "role", "role", "delete"], trail.Select(r => r.Action));
        Assert.Equal([null, null, "412", "+admin", "-admin", null], trail.Select(r => r.Detail));
        Assert.All(trail, r =>
        {
            Assert.Equal("audit-bert", r.AgentName);
            Assert.False(string.IsNullOrEmpty(r.AdminId));
            Assert.InRange(r.At, start, DateTimeOffset.UtcNow);
        });
        var stored = JsonSerializer.Serialize(trail);
        Assert.All(passwords, p => Assert.DoesNotContain(p, stored));

        var page = await (await admin.GetAsync("/desk/admin")).Content.ReadAsStringAsync();
        foreach (var text in new[] { "aangemaakt", "wachtwoord hersteld", "toestel ingesteld op 412", "beheerder gemaakt", "beheerrechten ingetrokken", "verwijderd" })
        {
            Assert.Matches($"<td>audit-admin</td>\\s*<td>{text}</td>\\s*<td>audit-bert</td>", page);
        }

        Assert.All(passwords, p => Assert.DoesNotContain(p, page));
    }

    [Fact]
    public async Task A_reset_redirects_and_shows_the_new_password_once_and_a_reload_resets_nothing()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "prg-admin", isAdmin: true);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "prg-bert");
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "prg-admin", AgentAuthorization.AdminRole);
        var before = (await DeskAgent.FindAsync(desk.Databases, Tenant, "prg-bert"))!;

        var reset = await admin.PostAsync("/desk/admin", $"/desk/admin/agents/{before.Id}/reset");
        Assert.Equal(HttpStatusCode.SeeOther, reset.StatusCode);
        Assert.Equal($"/{Tenant}/desk/admin", reset.Headers.Location!.OriginalString);
        var hash = (await DeskAgent.FindAsync(desk.Databases, Tenant, "prg-bert"))!.PasswordHash;
        Assert.NotEqual(before.PasswordHash, hash);

        var shown = await admin.ReadAsync("/desk/admin");
        var password = OneTimePassword(shown);
        Assert.Contains("Nieuw wachtwoord voor prg-bert", shown);
        Assert.Contains("data-focus-on-load", shown);

        // The reload: the page shows no password any more, and the one written down stays valid.
        var reloaded = await admin.ReadAsync("/desk/admin");
        Assert.DoesNotContain("one-time-password", reloaded);
        Assert.DoesNotContain(password, reloaded);
        Assert.Equal(hash, (await DeskAgent.FindAsync(desk.Databases, Tenant, "prg-bert"))!.PasswordHash);

        // Posting the reset again is an explicit new reset.
        Assert.Equal(HttpStatusCode.SeeOther, (await admin.PostAsync("/desk/admin", $"/desk/admin/agents/{before.Id}/reset")).StatusCode);
        Assert.NotEqual(hash, (await DeskAgent.FindAsync(desk.Databases, Tenant, "prg-bert"))!.PasswordHash);
        Assert.NotEqual(password, OneTimePassword(await admin.ReadAsync("/desk/admin")));
    }

    [Fact]
    public async Task Creating_redirects_and_a_reload_of_the_result_page_creates_nothing()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "prg-maker", isAdmin: true);
        using var admin = await DeskAgent.SignedInAsync(desk, Tenant, "prg-maker", AgentAuthorization.AdminRole);

        var created = await admin.PostAsync("/desk/admin", "/desk/admin/agents", ("userName", "prg-new"), ("displayName", "Nieuw"));
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        var shown = await admin.ReadAsync("/desk/admin");
        Assert.Contains("Aangemaakt: prg-new", shown);
        var password = OneTimePassword(shown);
        Assert.DoesNotContain(password, created.Headers.Location!.OriginalString);
        var accounts = await CountAsync();

        var reloaded = await admin.ReadAsync("/desk/admin");
        Assert.DoesNotContain("Aangemaakt: prg-new", reloaded);
        Assert.DoesNotContain(password, reloaded);
        Assert.DoesNotContain("error-summary", reloaded);
        Assert.Equal(accounts, await CountAsync());
    }

    /// <summary>Another administrator's browser, given the result cookie by hand, reads nothing from it.</summary>
    [Fact]
    public async Task The_result_cookie_is_for_the_administrator_who_acted_only()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "prg-one", isAdmin: true);
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "prg-two", isAdmin: true);
        using var one = await DeskAgent.SignedInAsync(desk, Tenant, "prg-one", AgentAuthorization.AdminRole);
        using var two = await DeskAgent.SignedInAsync(desk, Tenant, "prg-two", AgentAuthorization.AdminRole);
        var target = (await DeskAgent.FindAsync(desk.Databases, Tenant, "prg-two"))!;

        Assert.Equal(HttpStatusCode.SeeOther, (await one.PostAsync("/desk/admin", $"/desk/admin/agents/{target.Id}/extension", ("extension", "777"))).StatusCode);
        var cookie = one.Cookies.Single(c => c.Name == AdminResult.CookieName);
        two.SetDeskCookie(cookie.Name, cookie.Value);
        Assert.DoesNotContain("Toestel opgeslagen voor prg-two", await two.ReadAsync("/desk/admin"));
        Assert.Contains("Toestel opgeslagen voor prg-two", await one.ReadAsync("/desk/admin"));
    }

    private async Task<int> CountAsync()
    {
        await using var db = desk.Databases.Open(Tenant);
        return await db.Users.CountAsync();
    }

    private async Task<HttpResponseMessage> AdminPostAsync(DeskAgent admin, string userName, string action, params (string, string)[] fields)
    {
        var agent = await DeskAgent.FindAsync(desk.Databases, Tenant, userName);
        var response = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{agent!.Id}/{action}", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static string OneTimePassword(string page) =>
        Regex.Match(page, "id=\"one-time-password\">([^<]+)<").Groups[1].Value is { Length: >= 12 } password ? password : throw new InvalidOperationException("no one-time password shown");
}

public sealed class SqliteAgentAccountTests(SqliteDeskServer desk) : AgentAccountTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresAgentAccountTests(PostgresDeskServer desk) : AgentAccountTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
