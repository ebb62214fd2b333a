using System.Net;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.EndToEnd.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// A budget of wrong sign-in attempts per client address per hour, over all accounts (tenant D:
/// <see cref="DeskServer.WrongSignInsD"/>); each test signs in from loopback addresses of its own. Both databases.
/// </summary>
public abstract class SignInBudgetTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const int Budget = DeskServer.WrongSignInsD;
    private const string WrongPassword = "not-the-password-1";
    private const string TooManyText = "Vanaf dit netwerk zijn te veel aanmeldpogingen mislukt.";

    private string Tenant => desk.TenantD;

    /// <summary>A loopback address no other test uses.</summary>
    private static IPAddress NewAddress() => new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    private async Task<string[]> AgentsAsync(int count, bool totp = false)
    {
        var names = Enumerable.Range(0, count).Select(_ => "budget-" + Guid.NewGuid().ToString("N")[..8]).ToArray();
        foreach (var name in names)
        {
            await DeskAgent.CreateAsync(desk.Databases, Tenant, name, totp: totp);
        }

        return names;
    }

    private async Task<HttpStatusCode> SignInAsync(IPAddress from, string userName, string password = DeskAgent.Password)
    {
        using var browser = DeskAgent.For(desk, Tenant, from);
        return (await browser.SignInAsync(userName, password)).StatusCode;
    }

    [Fact]
    public async Task Wrong_attempts_over_several_accounts_spend_the_addresss_budget_then_even_the_right_password_gets_a_429_page_and_no_cookie()
    {
        var names = await AgentsAsync(3);
        var guesser = NewAddress();
        var before = await AdminAuditTrail.LastIdAsync(desk.Databases, Tenant);

        // Unknown names and wrong passwords over all accounts: none of them is locked (5 per account), yet the budget is spent.
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(guesser, "nobody-" + Guid.NewGuid().ToString("N")[..6], WrongPassword));
        for (var i = 1; i < Budget; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(guesser, names[i % names.Length], WrongPassword));
        }

        using var browser = DeskAgent.For(desk, Tenant, guesser);
        var refused = await browser.SignInAsync(names[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(55), refused.Headers.RetryAfter?.ToString());
        Assert.Contains(TooManyText, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies, c => c.Name == "idcontact.desk");
        using (var english = DeskAgent.For(desk, Tenant, guesser))
        {
            var page = await english.PostAsync("/desk/login?lang=en", "/desk/login?lang=en", ("userName", names[0]), ("password", DeskAgent.Password));
            Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
            Assert.Contains("Too many sign-in attempts from this network have failed. Try again in ", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Another address is another client; the agents' accounts are not locked.
        Assert.Equal(HttpStatusCode.SeeOther, await SignInAsync(NewAddress(), names[0]));

        // The refusals are one row in the admin audit, for no account; the attempts before it are there as usual.
        await using (var db = desk.Databases.Open(Tenant))
        {
            var refusals = await db.AdminAudit.Where(r => r.Id > before && r.Action == AdminActions.SignInRefused).ToListAsync();
            var refusal = Assert.Single(refusals);
            Assert.Equal((SignInSteps.AddressBudget, "", ""), (refusal.Detail, refusal.AgentId, refusal.AgentName));
            Assert.Equal("aanmelden geweigerd: te veel mislukte pogingen vanaf één netwerk, de rest van het uur", AdminActionText.Describe(refusal, english: false));
        }

        // After the hour the address may try again (its window is moved back an hour, as the clock would).
        await using (var db = desk.Databases.Open(Tenant))
        {
            var key = await SignInBudget.AddressKeyAsync(desk.Hashes, Tenant, guesser.ToString(), CancellationToken.None);
            var window = await db.WrongCodeWindows.SingleAsync(w => w.Key == key);
            window.WindowStart -= TimeSpan.FromMinutes(61);
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.SeeOther, await SignInAsync(guesser, names[0]));
    }

    [Fact]
    public async Task Right_sign_ins_give_their_attempt_back()
    {
        var names = await AgentsAsync(2);
        var centre = NewAddress();
        for (var i = 0; i < Budget - 1; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(centre, names[i % 2], WrongPassword + i));
        }

        for (var i = 0; i < 2 * Budget; i++)
        {
            Assert.Equal(HttpStatusCode.SeeOther, await SignInAsync(centre, names[i % 2]));
        }

        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(centre, names[0], WrongPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(centre, names[1]));
    }

    [Fact]
    public async Task The_code_step_spends_an_attempt_and_a_right_code_gives_it_back()
    {
        var name = (await AgentsAsync(1, totp: true))[0];
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, name);
        var from = NewAddress();
        using var browser = DeskAgent.For(desk, Tenant, from);

        // The right password asks for the code and costs nothing; wrong codes spend (3 here: the account locks at 5).
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(name)).StatusCode);
        for (var i = 1; i < Budget; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow.AddHours(i)))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);

        // One wrong attempt is left, then none: not even the password step of the right agent gets through.
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(from, name, WrongPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(from, name));
        using var again = DeskAgent.For(desk, Tenant, NewAddress());
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync(name)).StatusCode);
        // A code from there without a pending step checks nothing: sent back to sign in (A_code_without_a_pending_step…).
        using var spent = DeskAgent.For(desk, Tenant, from);
        Assert.Equal(HttpStatusCode.BadRequest, (await spent.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);
    }

    [Fact]
    public async Task A_code_without_a_pending_step_is_sent_back_to_sign_in_and_spends_nothing()
    {
        var name = (await AgentsAsync(1, totp: true))[0];
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, name);
        var from = NewAddress();
        for (var i = 0; i < 2 * Budget; i++)
        {
            using var stranger = DeskAgent.For(desk, Tenant, from);
            var page = await stranger.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow.AddHours(i + 1)));
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("Uw aanmelding is verlopen.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Nothing counted for the address, and the account is not locked: its agent signs in from there.
        await using (var db = desk.Databases.Open(Tenant))
        {
            var window = await SignInBudget.AddressKeyAsync(desk.Hashes, Tenant, from.ToString(), CancellationToken.None);
            Assert.False(await db.WrongCodeWindows.AnyAsync(w => w.Key == window && w.Count > 0));
        }

        Assert.False((await DeskAgent.FindAsync(desk.Databases, Tenant, name))!.AccessFailedCount > 0);
        using var browser = DeskAgent.For(desk, Tenant, from);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(name)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);
    }

    [Fact]
    public async Task A_refund_the_database_fails_keeps_the_attempt_spent_and_the_right_sign_in_goes_on()
    {
        var name = (await AgentsAsync(1))[0];
        var from = NewAddress();
        var key = await SignInBudget.AddressKeyAsync(desk.Hashes, Tenant, from.ToString(), CancellationToken.None);
        await using (await RefusingTrigger.RefundsOfAsync(desk.Databases, Tenant, key))
        {
            Assert.Equal(HttpStatusCode.SeeOther, await SignInAsync(from, name));
        }

        await using (var db = desk.Databases.Open(Tenant))
        {
            Assert.Equal(1, (await db.WrongCodeWindows.SingleAsync(w => w.Key == key)).Count);
        }

        Assert.Contains(desk.Logs.Messages, m => m.StartsWith(typeof(SignInBudget).FullName + ": A counted attempt was not given back", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(name, StringComparison.Ordinal) || m.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parallel_wrong_attempts_never_get_more_than_the_budget()
    {
        var names = await AgentsAsync(2);
        var from = NewAddress();
        using var counted = new LimitRefusalsTests.Refusals(desk.Server.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var statuses = await Task.WhenAll(Enumerable.Range(0, 3 * Budget).Select(i => SignInAsync(from, names[i % 2], WrongPassword)));
        Assert.Equal(Budget, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(2 * Budget, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // Each refusal counted once (docs/operations.md, limits), the attempts within the budget not.
        Assert.Equal(2 * Budget, counted.All.Count(c => c == (Tenant, "sign_in_address")));
    }

    [Fact]
    public async Task An_ipv6_client_counts_per_64_network_and_the_window_ends_after_the_hour_and_is_swept()
    {
        var now = DateTimeOffset.UtcNow;
        var budget = ActivatorUtilities.CreateInstance<SignInBudget>(desk.Server.App.Services, new FakeTimeProvider(now) as TimeProvider);
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xfffe):x}";
        for (var i = 1; i <= Budget; i++)
        {
            // A new address of the same /64 for every guess, as privacy extensions (or a script) would pick.
            Assert.True(await budget.TryReserveAsync(Tenant, $"{network}::{i:x}", CancellationToken.None));
        }

        Assert.False(await budget.TryReserveAsync(Tenant, $"{network}:0:0:0:ffff", CancellationToken.None));
        Assert.True(await budget.TryReserveAsync(Tenant, "2001:db8::1", CancellationToken.None));

        var later = new FakeTimeProvider(now.AddMinutes(61));
        await desk.Retention(later).SweepAsync(CancellationToken.None);
        await using (var db = desk.Databases.Open(Tenant))
        {
            var key = await SignInBudget.AddressKeyAsync(desk.Hashes, Tenant, $"{network}::1", CancellationToken.None);
            Assert.False(await db.WrongCodeWindows.AnyAsync(w => w.Key == key));
        }

        Assert.True(await ActivatorUtilities.CreateInstance<SignInBudget>(desk.Server.App.Services, later as TimeProvider)
            .TryReserveAsync(Tenant, $"{network}::1", CancellationToken.None));
    }
}

public sealed class SqliteSignInBudgetTests(SqliteDeskServer desk) : SignInBudgetTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresSignInBudgetTests(PostgresDeskServer desk) : SignInBudgetTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
