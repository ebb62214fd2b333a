using System.Net;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.EndToEnd.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// Device cookies (OWASP): a guesser who spends the address's sign-in budget (tenant D: <see cref="DeskServer.WrongSignInsD"/>)
/// does not keep out a colleague behind the same address whose browser signed in before. Each test from an address of its own.
/// </summary>
public abstract class DeviceCookieTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const string WrongPassword = "not-the-password-1";
    private const string OwnPassword = "een-zelf-gekozen-wachtwoord";
    private const string DevicePrefix = "idcontact.device.";

    private string Tenant => desk.TenantD;

    private static IPAddress NewAddress() => new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    private async Task<string[]> AgentsAsync(int count)
    {
        var names = Enumerable.Range(0, count).Select(_ => "device-" + Guid.NewGuid().ToString("N")[..8]).ToArray();
        foreach (var name in names)
        {
            await DeskAgent.CreateAsync(desk.Databases, Tenant, name);
        }

        return names;
    }

    /// <summary>A browser at <paramref name="from"/> that signed in as <paramref name="name"/> and whose session has ended since.</summary>
    private async Task<DeskAgent> SignedInBeforeAsync(IPAddress from, string name)
    {
        var browser = DeskAgent.For(desk, Tenant, from);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(name)).StatusCode);
        browser.Forget("idcontact.desk");
        return browser;
    }

    /// <summary>A guesser at <paramref name="from"/> spends its budget on unknown names; then even a right password there gets a 429.</summary>
    private async Task SpendAddressAsync(IPAddress from, string name)
    {
        for (var i = 0; i < DeskServer.WrongSignInsD; i++)
        {
            using var guesser = DeskAgent.For(desk, Tenant, from);
            Assert.Equal(HttpStatusCode.BadRequest, (await guesser.SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..6], WrongPassword)).StatusCode);
        }

        using var stranger = DeskAgent.For(desk, Tenant, from);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.SignInAsync(name)).StatusCode);
    }

    private async Task<HttpStatusCode> WithCookieAsync(IPAddress from, string cookieName, string value, string name, string password = DeskAgent.Password)
    {
        using var browser = DeskAgent.For(desk, Tenant, from);
        browser.SetDeskCookie(cookieName, value);
        return (await browser.SignInAsync(name, password)).StatusCode;
    }

    [Fact]
    public async Task A_colleague_who_signed_in_before_from_that_browser_still_signs_in_when_a_guesser_spent_the_addresss_budget()
    {
        var names = await AgentsAsync(2);
        var (colleague, newcomer) = (names[0], names[1]);
        var centre = NewAddress();

        // The right sign-in sets a device cookie: HttpOnly, SameSite=Strict, for this desk only, for 90 days.
        using var browser = DeskAgent.For(desk, Tenant, centre);
        var signedIn = await browser.SignInAsync(colleague);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var header = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), h => h.StartsWith(DevicePrefix, StringComparison.Ordinal));
        Assert.Contains($"path=/{Tenant}/desk;", header, StringComparison.Ordinal);
        Assert.Contains("httponly", header, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", header, StringComparison.Ordinal);
        Assert.Contains("max-age=7776000", header, StringComparison.Ordinal);
        Assert.DoesNotContain(colleague, header, StringComparison.Ordinal);
        browser.Forget("idcontact.desk");

        await SpendAddressAsync(centre, newcomer);

        // A wrong password from the known browser is counted on the device (400, not 429); then the right one signs in.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync(colleague, WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(colleague)).StatusCode);
        Assert.Contains(browser.Cookies, c => c.Name == "idcontact.desk");

        // A colleague who never signed in from there waits for the hour, as before.
        using var other = DeskAgent.For(desk, Tenant, centre);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await other.SignInAsync(newcomer)).StatusCode);
    }

    [Fact]
    public async Task A_device_cookie_of_another_account_or_tenant_tampered_expired_or_from_before_a_password_reset_does_not_help()
    {
        var names = await AgentsAsync(2);
        var (owner, colleague) = (names[0], names[1]);
        var centre = NewAddress();
        using var browser = await SignedInBeforeAsync(centre, owner);
        var cookie = Assert.Single(browser.Cookies, c => c.Name.StartsWith(DevicePrefix, StringComparison.Ordinal));
        await SpendAddressAsync(centre, colleague);

        // Another account tried from the owner's browser; the owner's cookie under the other account's name.
        var agent = (await DeskAgent.FindAsync(desk.Databases, Tenant, owner))!;
        var other = (await DeskAgent.FindAsync(desk.Databases, Tenant, colleague))!;
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(colleague)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, await WithCookieAsync(centre, DeviceCookies.Name(Tenant, other.Id), cookie.Value, colleague));

        // Tampered with, made for another tenant, or issued longer ago than its lifetime.
        var tampered = cookie.Value[..20] + (cookie.Value[20] == 'A' ? 'B' : 'A') + cookie.Value[21..];
        Assert.Equal(HttpStatusCode.TooManyRequests, await WithCookieAsync(centre, cookie.Name, tampered, owner));
        var devices = desk.Server.App.Services.GetRequiredService<DeviceCookies>();
        Assert.Equal(HttpStatusCode.TooManyRequests, await WithCookieAsync(centre, cookie.Name, devices.Value(desk.TenantA, agent), owner));
        var old = ActivatorUtilities.CreateInstance<DeviceCookies>(desk.Server.App.Services, new FakeTimeProvider(DateTimeOffset.UtcNow - DeviceCookies.Lifetime - TimeSpan.FromMinutes(1)) as TimeProvider);
        Assert.Equal(HttpStatusCode.TooManyRequests, await WithCookieAsync(centre, cookie.Name, old.Value(Tenant, agent), owner));

        // One made the same way, now, for this tenant, does help: the refusals above were the cookies' own fault.
        Assert.Equal(HttpStatusCode.SeeOther, await WithCookieAsync(centre, cookie.Name, devices.Value(Tenant, agent), owner));

        // An administrator's reset (the answer to a stolen password) makes the cookie worthless, even with the new password.
        string handedOut;
        await using (var identity = new OfflineIdentity(desk.Databases, Tenant))
        {
            handedOut = (await AgentAccounts.ResetPasswordAsync(identity.Users, (await identity.Users.FindByNameAsync(owner))!))!;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(owner, handedOut)).StatusCode);
    }

    [Fact]
    public async Task Choosing_ones_own_password_after_a_handed_out_one_keeps_the_browser_known()
    {
        var name = (await AgentsAsync(1))[0];
        string handedOut;
        await using (var identity = new OfflineIdentity(desk.Databases, Tenant))
        {
            handedOut = (await AgentAccounts.ResetPasswordAsync(identity.Users, (await identity.Users.FindByNameAsync(name))!))!;
        }

        var centre = NewAddress();
        using var browser = DeskAgent.For(desk, Tenant, centre);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(name, handedOut)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.PostAsync("/desk/password", "/desk/password", ("current", handedOut), ("new", OwnPassword))).StatusCode);
        browser.Forget("idcontact.desk");
        await SpendAddressAsync(centre, name);

        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(name, OwnPassword)).StatusCode);
    }

    [Fact]
    public async Task Turning_two_step_verification_on_or_off_keeps_the_browser_known()
    {
        var name = (await AgentsAsync(1))[0];
        var centre = NewAddress();
        using var browser = DeskAgent.For(desk, Tenant, centre);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(name)).StatusCode);
        await browser.ReadAsync("/desk/account"); // Makes the authenticator key.
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, name);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/desk/account", "/desk/account/totp", ("code", Totp.Code(key, DateTimeOffset.UtcNow)))).StatusCode);
        Assert.True((await DeskAgent.FindAsync(desk.Databases, Tenant, name))!.TwoFactorEnabled);
        browser.Forget("idcontact.desk");
        await SpendAddressAsync(centre, name);

        // Switched on: the password step passes the spent address budget, then the code signs in.
        Assert.Contains("one-time-code", await (await browser.SignInAsync(name)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync(name, Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)))).StatusCode);

        // Switched off again: the password alone signs in.
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/desk/account", "/desk/account/totp/disable", ("password", DeskAgent.Password))).StatusCode);
        Assert.False((await DeskAgent.FindAsync(desk.Databases, Tenant, name))!.TwoFactorEnabled);
        browser.Forget("idcontact.desk");
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(name)).StatusCode);
    }

    [Fact]
    public async Task The_device_budget_ends_the_cookies_privilege_after_its_wrong_tries()
    {
        var name = (await AgentsAsync(1))[0];
        var centre = NewAddress();
        using var browser = await SignedInBeforeAsync(centre, name);
        await SpendAddressAsync(centre, name);

        // Its wrong tries are counted (the account locks at 5, as ever, and later tries count as wrong too) ...
        for (var i = 0; i < SignInBudget.WrongPerDevicePerHour; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.SignInAsync(name, WrongPassword + i)).StatusCode);
        }

        Assert.True((await DeskAgent.FindAsync(desk.Databases, Tenant, name))!.LockoutEnd > DateTimeOffset.UtcNow);

        // ... and then the cookie counts as none for the hour: the spent address budget answers.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(name)).StatusCode);
    }
}

public sealed class SqliteDeviceCookieTests(SqliteDeskServer desk) : DeviceCookieTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresDeviceCookieTests(PostgresDeskServer desk) : DeviceCookieTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
