using System.Net;
using IdContact.Desk.Phone;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Wrong web codes count per browser (the code page's cookie) and per client address: one guesser behind a shared address
/// (a carrier's NAT, an office) no longer locks out every caller there; both databases.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    private const string ReloadText = "Deze pagina was verlopen. Laad de pagina opnieuw en vul de code nog een keer in";

    /// <summary>A client address of its own for one test, shared by the browsers the test opens on it.</summary>
    private static IPAddress SharedAddress() => new([127, 6, (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    [Fact]
    public async Task A_guesser_behind_a_shared_address_spends_their_browsers_budget_and_another_caller_there_still_gets_in()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-nat", null);
        var (_, code) = await StartWebCodeAsync(agent);
        var office = SharedAddress();
        using var guesser = DeskAgent.For(desk, desk.TenantA, office);
        using var caller = DeskAgent.For(desk, desk.TenantA, office);
        for (var i = 0; i < new WebCodeOptions().WrongPerBrowserPerHour; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(guesser, "/id", ("code", "00000000"))).StatusCode);
        }

        // The guesser's browser is refused, even with the right code, and the code is not looked at.
        foreach (var (path, typed) in new[] { ("/id", "00000000"), ("/id", code), ("/id/start", code) })
        {
            var limited = await PostFormAsync(guesser, path, ("code", typed), ("auth_method", "test"));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
            Assert.Contains("te vaak een verkeerde code", await limited.Content.ReadAsStringAsync());
        }

        Assert.NotNull(await CodeAsync(desk.TenantA, code));

        // The caller on the same address, in their own browser, gets in with the right code.
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(caller, "/id", ("code", code))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync(caller, "/id/start", ("code", code), ("auth_method", "test"))).StatusCode);
    }

    [Fact]
    public async Task A_guesser_who_opens_a_new_browser_for_every_guess_is_still_stopped_by_the_address_budget()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantB, "webcode-mint", null);
        var (_, code) = await StartWebCodeAsync(agent);
        var address = SharedAddress();
        for (var i = 0; i < DeskServer.WrongWebCodesB; i++)
        {
            using var fresh = DeskAgent.For(desk, desk.TenantB, address);
            (await fresh.GetAsync("/id")).Dispose();
            Assert.NotNull(BrowserCookie(fresh)); // each page view mints a new browser id
            Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(fresh, "/id", ("code", "00000000"))).StatusCode);
        }

        using var next = DeskAgent.For(desk, desk.TenantB, address);
        var limited = await PostFormAsync(next, "/id", ("code", code));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(BrowserCookie(next));
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Contains("te vaak een verkeerde code", await limited.Content.ReadAsStringAsync());
        Assert.NotNull(await CodeAsync(desk.TenantB, code));
    }

    [Fact]
    public async Task A_post_without_or_with_a_forged_browser_cookie_is_refused_with_the_reload_message_and_counts_nothing()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-cookie", null);
        var (id, code) = await StartWebCodeAsync(agent);
        var from = SharedAddress();
        using var resident = DeskAgent.For(desk, desk.TenantA, from);
        var page = $"/{desk.TenantA}/id";
        var host = resident.Client.BaseAddress!.Host;
        var starts = desk.Core.Starts.Count;

        // The cookie a page view sets: only the tenant's code pages, not readable by script, sent on a top-level post.
        using (var other = DeskAgent.For(desk, desk.TenantA, from))
        {
            var setCookie = Assert.Single((await other.GetAsync("/id")).Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebCodeBrowser.CookieName + "=", StringComparison.Ordinal));
            Assert.Contains($"path=/{desk.TenantA}/id", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        }

        // Another municipality's valid cookie is no cookie here.
        using var stranger = DeskAgent.For(desk, desk.TenantD, from);
        (await stranger.GetAsync("/id")).Dispose();
        var othersValue = BrowserCookie(stranger)!.Value;

        var forgeries = new (string What, Action Set)[]
        {
            ("none", () => { }),
            ("forged", () => resident.CookieJar.Add(new Cookie(WebCodeBrowser.CookieName, "forged", page, host))),
            ("another municipality's", () => resident.CookieJar.Add(new Cookie(WebCodeBrowser.CookieName, othersValue, page, host))),
        };
        foreach (var (what, set) in forgeries)
        {
            foreach (var (path, fields) in new[] { ("", new[] { ("code", code) }), ("/start", new[] { ("code", code), ("auth_method", "test") }) })
            {
                if (BrowserCookie(resident) is { } cookie)
                {
                    cookie.Expired = true; // dropped, as a guesser would
                }

                set();
                var refused = await PostFormFromAsync(resident, page + path, [], fields);
                Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, what + path);
                Assert.Contains(ReloadText, await refused.Content.ReadAsStringAsync());
            }
        }

        // Nothing was counted, spent or started.
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var key = await WebCodes.AddressKeyAsync(desk.Hashes, desk.TenantA, from.ToString(), CancellationToken.None);
            Assert.False(await db.WrongCodeWindows.AnyAsync(w => w.Key == key));
        }

        Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);
        Assert.Equal(starts, desk.Core.Starts.Count);

        // The refusal set a valid cookie: typing the code again works.
        Assert.Equal(HttpStatusCode.OK, (await PostFormFromAsync(resident, page, [], ("code", code))).StatusCode);
    }

    [Fact]
    public async Task The_choice_steps_language_switch_shows_the_choice_again_only_to_its_own_browser_and_checks_no_code()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "webcode-choice", null);
        var (id, code) = await StartWebCodeAsync(agent);
        using var resident = DeskAgent.For(desk, desk.TenantA, SharedAddress());
        var chosen = await (await PostFormAsync(resident, "/id", ("code", code))).Content.ReadAsStringAsync();
        var choice = System.Text.RegularExpressions.Regex.Match(chosen, "name=\"choice\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.DoesNotContain(code, choice, StringComparison.Ordinal);
        Assert.Contains($"action=\"/{desk.TenantA}/id/choose?lang=en\"", chosen, StringComparison.Ordinal);

        // Its own browser: the same choice in English, the code still in the method form, nothing spent.
        var english = await PostFormAsync(resident, "/id/choose?lang=en", ("choice", choice));
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        var html = await english.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\"", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"code\" value=\"{code}\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"test\">", html, StringComparison.Ordinal);
        Assert.Equal(code, (await SessionAsync(desk.TenantA, id))!.Code);

        // Another browser with that choice, a code in its place, or a choice cut short: the reload message, no code
        // looked at, no try counted for its address (a switch is never a free guess).
        var from = SharedAddress();
        using var other = DeskAgent.For(desk, desk.TenantA, from);
        foreach (var sent in new[] { choice, code, choice[..^4] })
        {
            var refused = await PostFormAsync(other, "/id/choose?lang=en", ("choice", sent));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("This page had expired", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var db = desk.Databases.Open(desk.TenantA);
        var key = await WebCodes.AddressKeyAsync(desk.Hashes, desk.TenantA, from.ToString(), CancellationToken.None);
        Assert.False(await db.WrongCodeWindows.AnyAsync(w => w.Key == key));
    }
}
