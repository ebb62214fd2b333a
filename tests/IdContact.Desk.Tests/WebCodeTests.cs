using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Phone;
using IdContact.Desk.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// Identifying a caller on the web during a call (Beller identificeren): the agent's contact and code, the caller's page
/// /{tenant}/id, the auth-only start, the guess limits, and that the exchange never matches a web code; both databases.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    private const string WrongWebCodeText = "Deze code klopt niet of is niet meer geldig.";

    [Fact]
    public async Task An_agent_identifies_a_caller_with_a_web_code_and_sees_the_proven_data_live_then_ends_it()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-1", null);
        var overview = await agent.ReadAsync("/desk");
        Assert.Contains("Beller identificeren", overview);
        Assert.Contains("<option value=\"report_move\">Verhuizing doorgeven</option>", overview);

        var (id, code) = await StartWebCodeAsync(agent);
        var stored = await SessionAsync(desk.TenantA, id);
        Assert.Equal(("phone", ContactState.Active, (string?)null), (stored!.Channel, stored.State, stored.CallId));
        Assert.Equal(8, code.Length);
        Assert.True(code.All(char.IsAsciiDigit));
        Assert.Equal(stored.CreatedAt.AddMinutes(10), stored.CodeExpiresAt);

        // The agent's page: the address and the code to read out, grouped; no data yet.
        var page = await agent.ReadAsync($"/desk/identify/{id}");
        Assert.Contains($"/{desk.TenantA}/id</dd>", page);
        Assert.Contains($"{code[..4]} {code[4..]}", page);
        Assert.Contains("Niet geïdentificeerd.", page);

        // The caller's page: one field; the right code (typed with a space) lists the purpose's methods.
        using var resident = DeskAgent.For(desk, desk.TenantA);
        var form = await resident.ReadAsync("/id");
        Assert.Contains("autocomplete=\"one-time-code\"", form);
        Assert.Contains("inputmode=\"numeric\"", form);
        var choose = await PostFormAsync(resident, "/id", ("code", $"{code[..4]} {code[4..]}"));
        Assert.Equal(HttpStatusCode.OK, choose.StatusCode);
        var chooseHtml = await choose.Content.ReadAsStringAsync();
        Assert.Contains("Verhuizing doorgeven", chooseHtml);
        Assert.Contains("value=\"test\">Testinlog</button>", chooseHtml);
        Assert.NotNull((await SessionAsync(desk.TenantA, id))!.Code); // looking is not spending

        // Choosing a method spends the code and starts the auth-only start: back to /id/done, result to the phone attr_url.
        var start = await PostFormAsync(resident, "/id/start", ("code", code), ("auth_method", "test"));
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        Assert.Equal(FakeCore.SignInPage, start.Headers.Location!.ToString());
        var (tenant, request) = desk.Core.Starts.Last();
        Assert.Equal(desk.TenantA, tenant);
        AssertStarterJwsAsAnotherCoreReadsIt(desk.Core.Wire.Last(), desk.Server.DataDirectory);
        Assert.Equal("report_move", request.GetProperty("purpose").GetString());
        Assert.Equal("test", request.GetProperty("auth_method").GetString());
        var attrUrl = request.GetProperty("attr_url").GetString()!;
        Assert.EndsWith($"/{desk.TenantA}/phone/attr/{id}", attrUrl);
        var commUrl = request.GetProperty("comm_url").GetString()!;
        Assert.Contains($"/{desk.TenantA}/id/done/", commUrl);
        Assert.Null((await SessionAsync(desk.TenantA, id))!.Code);
        Assert.Contains("De beller logt nu in", await agent.ReadAsync($"/desk/contacts?session={id}"));

        // The result arrives like any phone result; the agent's list shows it as for an identified call, audited.
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(new Uri(attrUrl).PathAndQuery, desk.Token("Jan Webcode"))).StatusCode);
        var list = await agent.ReadAsync($"/desk/contacts?session={id}");
        Assert.Contains("Jan Webcode", list);
        Assert.Contains("Identificatie via de website, door webcode-1", list);
        Assert.Contains("Beëindigen en gegevens verwijderen", list);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.True(await db.Audit.AnyAsync(a => a.SessionId == id && a.Action == Agents.AuditActions.View));
        }

        // A second result is refused (one per session); the caller's landing page sends them back to the call.
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostTokenAsync(new Uri(attrUrl).PathAndQuery, desk.Token("Iemand Anders"))).StatusCode);
        Assert.Contains("terug naar het telefoongesprek", await resident.Client.GetStringAsync(new Uri(commUrl).PathAndQuery));

        // Ending deletes the contact and its data at once.
        var end = await agent.PostAsync($"/desk/identify/{id}", $"/desk/identify/{id}/end");
        Assert.Equal(HttpStatusCode.SeeOther, end.StatusCode);
        Assert.Contains("identify-ended", end.Headers.Location!.ToString());
        Assert.Null(await SessionAsync(desk.TenantA, id));
    }

    [Fact]
    public async Task A_new_code_replaces_the_old_one_when_misheard_expired_abandoned_or_cancelled_and_the_old_codes_sign_in_lands_nowhere()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-new", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-new-2", null);
        using var resident = DeskAgent.For(desk, desk.TenantA);
        var (id, first) = await StartWebCodeAsync(agent);
        Assert.Contains("Nieuwe code", await agent.ReadAsync($"/desk/identify/{id}"));

        // Misheard: a new code in a new contact for the same subject; the old code and contact are gone at once.
        var (secondId, second) = await RenewAsync(agent, id);
        Assert.NotEqual(first, second);
        Assert.Null(await SessionAsync(desk.TenantA, id));
        Assert.Equal("report_move", (await SessionAsync(desk.TenantA, secondId))!.Purpose);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(resident, "/id", ("code", first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(resident, "/id", ("code", second))).StatusCode);

        // Expired: the page says so and offers a new one, valid for the full lifetime again.
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.Sessions.Where(s => s.Id == secondId).ExecuteUpdateAsync(u => u.SetProperty(s => s.CodeExpiresAt, past));
        }

        Assert.Contains("Geef de beller een nieuwe code", await agent.ReadAsync($"/desk/identify/{secondId}"));
        var (thirdId, third) = await RenewAsync(agent, secondId);
        Assert.InRange((await SessionAsync(desk.TenantA, thirdId))!.CodeExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));

        // A colleague cannot renew it.
        Assert.Contains("message=gone", (await colleague.PostAsync("/desk", $"/desk/identify/{thirdId}/renew")).Headers.Location!.ToString());
        Assert.Equal(third, (await SessionAsync(desk.TenantA, thirdId))!.Code);

        // Spent on a sign-in that then stalls (a guesser's, or the caller gave up): after a new code, that sign-in's
        // result is refused, and the new code's result is the one the agent sees.
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(resident, "/id/start", ("code", third), ("auth_method", "test"))).StatusCode);
        var stalled = new Uri(desk.Core.Starts.Last().Request.GetProperty("attr_url").GetString()!).PathAndQuery;
        Assert.Contains("Nieuwe code", await agent.ReadAsync($"/desk/identify/{thirdId}"));
        var (fourthId, fourth) = await RenewAsync(agent, thirdId);
        Assert.InRange((int)(await desk.PostTokenAsync(stalled, desk.Token("Iemand Anders"))).StatusCode, 400, 499);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(resident, "/id/start", ("code", fourth), ("auth_method", "test"))).StatusCode);
        var attrUrl = new Uri(desk.Core.Starts.Last().Request.GetProperty("attr_url").GetString()!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Jan Nieuwecode"))).StatusCode);
        var done = await agent.ReadAsync($"/desk/identify/{fourthId}");
        Assert.Contains("Jan Nieuwecode", done);
        Assert.DoesNotContain("Iemand Anders", done);
        Assert.DoesNotContain("Nieuwe code", done);

        // Once the data is there, no new code: the contact keeps its one result.
        Assert.Contains("message=gone", (await agent.PostAsync("/desk", $"/desk/identify/{fourthId}/renew")).Headers.Location!.ToString());
        Assert.NotNull(await SessionAsync(desk.TenantA, fourthId));
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync("/desk", $"/desk/identify/{fourthId}/end")).StatusCode);

        // A sign-in the caller cancelled (a failed result) may be tried again with a new code; a colleague may not.
        var (failedId, failedCode) = await StartWebCodeAsync(agent);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(resident, "/id/start", ("code", failedCode), ("auth_method", "test"))).StatusCode);
        var failedUrl = new Uri(desk.Core.Starts.Last().Request.GetProperty("attr_url").GetString()!).PathAndQuery;
        var failure = Protocol.Tokens.AuthResultToken.Issue(Protocol.Tokens.AuthResult.Failure(), desk.TestKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(failedUrl, failure)).StatusCode);
        var failedPage = await agent.ReadAsync($"/desk/identify/{failedId}");
        Assert.Contains("Identificatie mislukt", failedPage);
        Assert.Contains("Nieuwe code", failedPage);
        Assert.Contains("message=gone", (await colleague.PostAsync("/desk", $"/desk/identify/{failedId}/renew")).Headers.Location!.ToString());
        var (retryId, _) = await RenewAsync(agent, failedId);
        Assert.Null(await SessionAsync(desk.TenantA, failedId));
        Assert.Null((await SessionAsync(desk.TenantA, retryId))!.ResultToken);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync("/desk", $"/desk/identify/{retryId}/end")).StatusCode);
    }

    /// <summary>The agent asks for a new code: on to the new contact's page; its id and code.</summary>
    private async Task<(string Id, string Code)> RenewAsync(DeskAgent agent, string id)
    {
        var response = await agent.PostAsync($"/desk/identify/{id}", $"/desk/identify/{id}/renew");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"/{agent.Tenant}/desk/identify/", location);
        var renewed = location.Split('/').Last();
        Assert.NotEqual(id, renewed);
        return (renewed, (await SessionAsync(agent.Tenant, renewed))!.Code!);
    }

    [Fact]
    public async Task Wrong_expired_spent_cancelled_and_other_tenants_web_codes_all_get_the_same_message()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-2", null);
        using var resident = DeskAgent.For(desk, desk.TenantA);
        using var stranger = DeskAgent.For(desk, desk.TenantD);

        var (_, live) = await StartWebCodeAsync(agent);
        var wrong = live[..7] + (char)('0' + ((live[7] - '0' + 1) % 10));
        var (expiredId, expired) = await StartWebCodeAsync(agent);
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.Sessions.Where(s => s.Id == expiredId).ExecuteUpdateAsync(u => u.SetProperty(s => s.CodeExpiresAt, past));
        }

        var (_, spent) = await StartWebCodeAsync(agent);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(resident, "/id/start", ("code", spent), ("auth_method", "test"))).StatusCode);
        var (cancelledId, cancelled) = await StartWebCodeAsync(agent);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync($"/desk/identify/{cancelledId}", $"/desk/identify/{cancelledId}/end")).StatusCode);
        Assert.Null(await SessionAsync(desk.TenantA, cancelledId));

        var answers = new List<string>();
        foreach (var (who, code) in new[] { (resident, wrong), (resident, expired), (resident, spent), (resident, cancelled), (stranger, live), (resident, "12") })
        {
            var response = await PostFormAsync(who, "/id", ("code", code));
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("aria-describedby=\"code-error code-hint\"", html);
            answers.Add(Regex.Match(html, "<p class=\"error\" id=\"code-error\">([^<]*)</p>").Groups[1].Value);
        }

        Assert.All(answers, a => Assert.StartsWith(WrongWebCodeText, a));
        Assert.Single(answers.Distinct());
        Assert.Contains("De code is verlopen", await agent.ReadAsync($"/desk/identify/{expiredId}"));

        // The live code still works in its own tenant: the wrong tries did not touch it.
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(resident, "/id", ("code", live))).StatusCode);
    }

    [Fact]
    public async Task A_right_web_code_whose_try_the_database_fails_to_give_back_still_starts_the_sign_in()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-refund", null);
        var (_, code) = await StartWebCodeAsync(agent);
        var from = new IPAddress([127, 3, (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
        using var resident = DeskAgent.For(desk, desk.TenantA, from);
        var key = await WebCodes.AddressKeyAsync(desk.Hashes, desk.TenantA, from.ToString(), CancellationToken.None);
        await using (await RefusingTrigger.RefundsOfAsync(desk.Databases, desk.TenantA, key))
        {
            var start = await PostFormAsync(resident, "/id/start", ("code", code), ("auth_method", "test"));
            Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
            Assert.Equal(FakeCore.SignInPage, start.Headers.Location!.ToString());
        }

        // Fail safe: the try stays counted.
        await using var db = desk.Databases.Open(desk.TenantA);
        Assert.Equal(1, (await db.WrongCodeWindows.SingleAsync(w => w.Key == key)).Count);
        Assert.Contains(desk.Logs.Messages, m => m.StartsWith(typeof(WebCodes).FullName + ": A counted attempt was not given back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_exchange_never_matches_a_web_code_and_its_ended_leaves_the_identification_alone()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-3", null);
        var (id, code) = await StartWebCodeAsync(agent);

        Assert.Equal("wrong_code", await desk.IdentifyAsync(desk.TenantA, code, "call-typing-a-web-code", null));
        var (status, ended) = await desk.ExchangeAsync(desk.TenantA, "ended", new { call_id = "call-typing-a-web-code" }, DeskServer.KeyA);
        Assert.Equal((200, 0), (status, ended.GetProperty("deleted").GetInt32()));

        var session = await SessionAsync(desk.TenantA, id);
        Assert.Equal((code, ContactState.Active, (string?)null), (session!.Code, session.State, session.CallId));

        // Nor can a colleague route it as a call: it is no queued call.
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-3b", null);
        var take = await colleague.PostAsync("/desk", $"/desk/contacts/{id}/take");
        Assert.Contains("message=gone", take.Headers.Location!.ToString());
        Assert.Equal(ContactState.Active, (await SessionAsync(desk.TenantA, id))!.State);
    }

    [Fact]
    public async Task An_address_gets_a_few_wrong_web_codes_an_hour_then_429_with_retry_after_even_for_the_right_code()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantB, "webcode-4", null);
        using var resident = DeskAgent.For(desk, desk.TenantB);
        var (_, code) = await StartWebCodeAsync(agent);
        for (var i = 0; i < DeskServer.WrongWebCodesB; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(resident, "/id", ("code", "00000000"))).StatusCode);
        }

        foreach (var (path, typed) in new[] { ("/id", "00000000"), ("/id", code), ("/id/start", code) })
        {
            var limited = await PostFormAsync(resident, path, ("code", typed), ("auth_method", "test"));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            var seconds = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(seconds, 1, 3600);
            Assert.Contains("te vaak een verkeerde code", await limited.Content.ReadAsStringAsync());
        }

        Assert.NotNull(await CodeAsync(desk.TenantB, code)); // refused before it was looked at, so not spent

        // The store's rule on its own clock: counted before the look, given back for a right code, a new window after the hour.
        var now = DateTimeOffset.UtcNow;
        var codes = ActivatorUtilities.CreateInstance<WebCodes>(desk.Server.App.Services, new FakeTimeProvider(now) as TimeProvider);
        var address = "192.0.2." + Random.Shared.Next(1, 250);
        var browser = Guid.NewGuid().ToString();
        for (var i = 0; i < DeskServer.WrongWebCodesB - 1; i++)
        {
            Assert.Equal(WebCodeCheck.Wrong, (await codes.CheckAsync(desk.TenantB, "11111111", address, browser, false, CancellationToken.None)).Check);
        }

        Assert.Equal(WebCodeCheck.Right, (await codes.CheckAsync(desk.TenantB, code, address, browser, false, CancellationToken.None)).Check);
        Assert.Equal(WebCodeCheck.Wrong, (await codes.CheckAsync(desk.TenantB, "11111111", address, browser, false, CancellationToken.None)).Check);
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => codes.CheckAsync(desk.TenantB, "11111111", address, browser, false, CancellationToken.None)));
        Assert.All(parallel, p => Assert.Equal(WebCodeCheck.TooMany, p.Check));
        var later = ActivatorUtilities.CreateInstance<WebCodes>(desk.Server.App.Services, new FakeTimeProvider(now.AddMinutes(61)) as TimeProvider);
        Assert.Equal(WebCodeCheck.Wrong, (await later.CheckAsync(desk.TenantB, "11111111", address, browser, false, CancellationToken.None)).Check);
    }

    [Fact]
    public async Task Wrong_web_codes_of_an_ipv6_client_count_per_64_network_so_rotating_addresses_buys_no_fresh_budget()
    {
        var codes = desk.Server.App.Services.GetRequiredService<WebCodes>();
        var (x, y) = (Random.Shared.Next(1, 0xffff), Random.Shared.Next(1, 0xfffe));
        var network = $"2001:db8:{x:x}:{y:x}";
        for (var i = 1; i <= DeskServer.WrongWebCodesB; i++)
        {
            // A new address of the same /64 for every guess, as privacy extensions (or a script) would pick.
            Assert.Equal(WebCodeCheck.Wrong, (await codes.CheckAsync(desk.TenantB, "11111111", $"{network}::{i:x}", NewBrowser(), false, CancellationToken.None)).Check);
        }

        Assert.Equal(WebCodeCheck.TooMany, (await codes.CheckAsync(desk.TenantB, "11111111", $"{network}:0:0:0:ffff", NewBrowser(), false, CancellationToken.None)).Check);

        // Another /64 is another client; an IPv4 address written IPv6-mapped is that IPv4 address.
        Assert.Equal(WebCodeCheck.Wrong, (await codes.CheckAsync(desk.TenantB, "11111111", $"2001:db8:{x:x}:{y + 1:x}::1", NewBrowser(), false, CancellationToken.None)).Check);
        var v4 = "198.51.100." + Random.Shared.Next(1, 250);
        for (var i = 0; i < DeskServer.WrongWebCodesB; i++)
        {
            await codes.CheckAsync(desk.TenantB, "11111111", v4, NewBrowser(), false, CancellationToken.None);
        }

        Assert.Equal(WebCodeCheck.TooMany, (await codes.CheckAsync(desk.TenantB, "11111111", "::ffff:" + v4, NewBrowser(), false, CancellationToken.None)).Check);
    }

    [Fact]
    public async Task The_callers_pages_are_never_cached_send_no_referrer_and_are_never_framed_however_the_path_is_spelled()
    {
        using var resident = DeskAgent.For(desk, desk.TenantA);
        var t = desk.TenantA;
        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("code page", await resident.Client.GetAsync($"/{t}/id")),
            ("wrong code", await PostFormAsync(resident, "/id", ("code", "00000000"))),
            // The landing page carries a capability in its path, and some plugins deliver the result in its query.
            ("landing page", await resident.Client.GetAsync($"/{t}/id/done/not-a-capability?result=x")),
            // Routing ignores case, so the headers must too.
            ("code page, other case", await resident.Client.GetAsync($"/{t.ToUpperInvariant()}/ID")),
            ("chat, other case", await resident.Client.GetAsync($"/{t}/Chat/C/not-a-capability")),
            ("desk, other case", await resident.Client.GetAsync($"/{t}/Desk/login")),
        };

        foreach (var (what, response) in responses)
        {
            Assert.True((int)response.StatusCode < 500, what);
            Assert.True(response.Headers.CacheControl?.NoStore == true, what);
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", what);
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp) && csp.Single().Contains("frame-ancestors", StringComparison.Ordinal), what);
        }

        var page = responses[0].Response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", page);
        Assert.Contains("script-src 'self'", page);
    }

    [Fact]
    public async Task A_municipality_has_at_most_its_cap_of_live_web_codes()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantD, "webcode-5", null);
        var ids = new List<string>();
        for (var i = 0; i < DeskServer.MaxLiveWebCodesD; i++)
        {
            ids.Add((await StartWebCodeAsync(agent)).Id);
        }

        var full = await agent.PostAsync("/desk", "/desk/identify", ("purpose", "report_move"));
        Assert.Contains("message=identify-full", full.Headers.Location!.ToString());
        Assert.Contains("te veel codes in gebruik", await agent.ReadAsync("/desk?message=identify-full"));

        // A new code for an expired one counts too: with the others live, it waits like a new identification.
        await using (var db = desk.Databases.Open(desk.TenantD))
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.Sessions.Where(s => s.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(s => s.CodeExpiresAt, past));
        }

        ids.Add((await StartWebCodeAsync(agent)).Id);
        var renewal = await agent.PostAsync("/desk", $"/desk/identify/{ids[0]}/renew");
        Assert.Contains($"/identify/{ids[0]}?message=identify-full", renewal.Headers.Location!.ToString());
        Assert.Contains("te veel codes in gebruik", await agent.ReadAsync(renewal.Headers.Location!.ToString()[(agent.Tenant.Length + 1)..]));
        Assert.NotNull(await SessionAsync(desk.TenantD, ids[0])); // refused as a whole: the old contact stays

        Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync("/desk", $"/desk/identify/{ids[1]}/end")).StatusCode);
        ids[1] = (await StartWebCodeAsync(agent)).Id;
        foreach (var id in ids)
        {
            await agent.PostAsync("/desk", $"/desk/identify/{id}/end");
        }
    }

    [Fact]
    public async Task Bad_web_code_posts_get_a_4xx_never_a_500_and_a_failed_start_gives_the_code_back()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-6", null);
        using var resident = DeskAgent.For(desk, desk.TenantA);
        var (id, code) = await StartWebCodeAsync(agent);

        var bad = new List<HttpResponseMessage>
        {
            await PostFormAsync(resident, "/id", ("code", "")),
            await PostFormAsync(resident, "/id", ("code", new string('9', 5000))),
            await PostFormAsync(resident, "/id"),
            await PostFormAsync(resident, "/id/start", ("code", code)),
            await PostFormAsync(resident, "/id/start", ("code", code), ("auth_method", new string('x', 500))),
            await resident.Client.PostAsync($"/{desk.TenantA}/id", new StringContent("code=1", System.Text.Encoding.UTF8, "application/json")),
            await resident.GetAsync("/id/done/not-a-capability"),
            await agent.PostAsync("/desk", "/desk/identify", ("purpose", "no_such_purpose")),
            await agent.PostAsync("/desk", "/desk/identify"),
        };
        Assert.All(bad, r => Assert.InRange((int)r.StatusCode, 400, 499));
        Assert.Contains("gone", (await agent.PostAsync("/desk", "/desk/identify/no-such-id/end")).Headers.Location!.ToString());
        Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);

        // The core refuses the start: the caller is told, and the code is given back for another try.
        desk.Core.Refuse = true;
        try
        {
            var refused = await PostFormAsync(resident, "/id/start", ("code", code), ("auth_method", "test"));
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.Contains("Inloggen kon niet worden gestart", await refused.Content.ReadAsStringAsync());
        }
        finally
        {
            desk.Core.Refuse = false;
        }

        Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(resident, "/id/start", ("code", code), ("auth_method", "test"))).StatusCode);
    }

    [Fact]
    public async Task A_resident_whose_browser_goes_away_while_the_sign_in_starts_gets_the_code_back()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-gone", null);
        using var resident = DeskAgent.For(desk, desk.TenantA);
        var (id, code) = await StartWebCodeAsync(agent);
        (await resident.GetAsync("/id")).Dispose(); // the code page's cookie
        var stall = (Arrived: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Release: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        desk.Core.Stall = stall;
        try
        {
            using var leave = new CancellationTokenSource();
            var form = new FormUrlEncodedContent([new("code", code), new("auth_method", "test")]);
            var post = resident.Client.PostAsync($"/{desk.TenantA}/id/start", form, leave.Token);
            await stall.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Null((await SessionAsync(desk.TenantA, id))!.Code); // spent while the sign-in starts

            // The browser closes (tab shut, train in a tunnel) while the desk waits for the core: the start is abandoned,
            // and the code must not stay spent, or the caller's next try would read "not right".
            leave.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
            for (var i = 0; i < 100 && (await SessionAsync(desk.TenantA, id))!.Code is null; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);
        }
        finally
        {
            desk.Core.Stall = null;
            stall.Release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_residents_form_sent_from_another_website_is_refused_and_spends_nothing()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-csrf", null);
        var (id, code) = await StartWebCodeAsync(agent);
        var (clientUrl, attrUrl) = await desk.StartChatAsync(desk.TenantA);
        var chatId = attrUrl.Split('/')[^1];
        using var resident = DeskAgent.For(desk, desk.TenantA);
        (await resident.GetAsync("/id")).Dispose(); // the code page's cookie, as a resident has it
        var starts = desk.Core.Starts.Count;

        // A page elsewhere makes the resident's browser send the caller's and the chat's forms: the browser says where
        // the form came from, by Sec-Fetch-Site or (older browsers) by Origin.
        (string Name, string Value)[] crossSite = [("Sec-Fetch-Site", "cross-site")];
        (string Name, string Value)[] sameSite = [("Sec-Fetch-Site", "same-site")];
        (string Name, string Value)[] otherOrigin = [("Origin", "https://elders.example")];
        foreach (var headers in new[] { crossSite, sameSite, otherOrigin })
        {
            var forms = new[]
            {
                await PostFormFromAsync(resident, $"/{desk.TenantA}/id", headers, ("code", code)),
                await PostFormFromAsync(resident, $"/{desk.TenantA}/id/start", headers, ("code", code), ("auth_method", "test")),
                await PostFormFromAsync(resident, clientUrl + "/end", headers),
            };
            foreach (var response in forms)
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        // Nothing was spent, started or ended.
        Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);
        Assert.Equal(starts, desk.Core.Starts.Count);
        Assert.NotNull(await SessionAsync(desk.TenantA, chatId));

        // From the service's own page (or from a program, which sends neither header) the same forms work.
        (string Name, string Value)[] ownPage = [("Sec-Fetch-Site", "same-origin"), ("Origin", desk.Server.BaseUrl)];
        Assert.Equal(HttpStatusCode.OK, (await PostFormFromAsync(resident, $"/{desk.TenantA}/id", ownPage, ("code", code))).StatusCode);
        (string Name, string Value)[] oldBrowserNoReferrer = [("Origin", "null")];
        Assert.Equal(HttpStatusCode.OK, (await PostFormFromAsync(resident, $"/{desk.TenantA}/id", oldBrowserNoReferrer, ("code", code))).StatusCode);
        (string Name, string Value)[] oldBrowser = [("Origin", desk.Server.BaseUrl)];
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormFromAsync(resident, $"/{desk.TenantA}/id/start", oldBrowser, ("code", code), ("auth_method", "test"))).StatusCode);
        Assert.Equal(starts + 1, desk.Core.Starts.Count);
        Assert.Equal(HttpStatusCode.OK, (await PostFormFromAsync(resident, clientUrl + "/end", [])).StatusCode);
        Assert.Null(await SessionAsync(desk.TenantA, chatId));
    }

    private static Task<HttpResponseMessage> PostFormFromAsync(DeskAgent browser, string url, (string Name, string Value)[] headers, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return browser.Client.SendAsync(request);
    }

    /// <summary>The agent starts a web identification for report_move: its id (from the redirect) and code (from the database).</summary>
    private async Task<(string Id, string Code)> StartWebCodeAsync(DeskAgent agent)
    {
        var response = await agent.PostAsync("/desk", "/desk/identify", ("purpose", "report_move"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"/{agent.Tenant}/desk/identify/", location);
        var id = location.Split('/').Last();
        return (id, (await SessionAsync(agent.Tenant, id))!.Code!);
    }

    private async Task<ContactSession?> SessionAsync(string tenant, string id)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id);
    }

    private async Task<ContactSession?> CodeAsync(string tenant, string code)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Code == code);
    }

    /// <summary>
    /// A resident's form post (no antiforgery token: the caller's pages take none), from the code page as a browser sends
    /// it: a browser without the page's cookie opens the page first.
    /// </summary>
    private static async Task<HttpResponseMessage> PostFormAsync(DeskAgent browser, string path, params (string Name, string Value)[] fields)
    {
        if (path.StartsWith("/id", StringComparison.Ordinal) && BrowserCookie(browser) is null)
        {
            (await browser.GetAsync("/id")).Dispose();
        }

        return await PostFormFromAsync(browser, $"/{browser.Tenant}{path}", [], fields);
    }

    /// <summary>The browser's web-code cookie for its tenant's code page, if it has one.</summary>
    private static Cookie? BrowserCookie(DeskAgent browser) =>
        browser.CookieJar.GetCookies(new Uri(browser.Client.BaseAddress!, $"/{browser.Tenant}/id"))[WebCodeBrowser.CookieName];

    /// <summary>A browser id as the web-code cookie holds one: a new browser of the same client.</summary>
    private static string NewBrowser() => Guid.NewGuid().ToString();

    /// <summary>
    /// The desk's auth-only start as another vendor's core checks it from PROTOCOL.md with jose-jwt alone:
    /// application/jwt, a JWS with kid naming the starter key, ES256 over that key, the request claim in snake_case.
    /// </summary>
    private static void AssertStarterJwsAsAnotherCoreReadsIt((string ContentType, string Accept, string Jws) wire, string dataDirectory)
    {
        Assert.Equal("application/jwt", wire.ContentType);
        Assert.Contains("application/json", wire.Accept, StringComparison.Ordinal);
        var header = Jose.JWT.Headers(wire.Jws);
        Assert.Equal(("ES256", "desk"), ((string)header["alg"], (string)header["kid"]));
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(dataDirectory, "keys", "desk-starter.pem")));
        using var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        var claims = System.Text.Json.JsonDocument.Parse(Jose.JWT.Decode(wire.Jws, publicKey, Jose.JwsAlgorithm.ES256)).RootElement;
        Assert.Equal(["attr_url", "auth_method", "comm_url", "purpose"], claims.GetProperty("request").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(claims.GetProperty("iat").GetInt64() + 300, claims.GetProperty("exp").GetInt64());
    }
}
