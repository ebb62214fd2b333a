using System.Net;
using IdContact.EndToEnd.Tests;

namespace IdContact.Desk.Tests;

/// <summary>
/// Each staff form names a message about one field on that field (aria-describedby to the message, aria-invalid), so a
/// screen reader user hears what is wrong where it is to be fixed (WCAG 3.3.1, 1.3.1, 4.1.2).
/// </summary>
public sealed class StaffFormErrorTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    private string Tenant => desk.TenantA;

    [Fact]
    public async Task The_planning_form_names_a_bad_email_or_time_on_its_field_and_keeps_what_was_typed()
    {
        using var agent = await SignedInAsync("plan-errors");
        var email = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", ("email", "geen-adres"), ("purpose", "report_move"), ("when", "now"));
        Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);
        var page = await email.Content.ReadAsStringAsync();
        FieldErrors.AssertLinked(page, "plan-email", "plan-error");
        Assert.Contains("value=\"geen-adres\"", page, StringComparison.Ordinal);

        var time = await agent.PostAsync(
            "/desk/appointments", "/desk/appointments/plan", ("email", "beller@example.nl"), ("purpose", "report_move"), ("when", "later"), ("at", "2020-01-01T10:00"));
        Assert.Equal(HttpStatusCode.BadRequest, time.StatusCode);
        page = await time.Content.ReadAsStringAsync();
        FieldErrors.AssertLinked(page, "plan-at", "plan-error");
        Assert.Contains("value=\"2020-01-01T10:00\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_new_agent_form_names_a_missing_or_taken_user_name_and_an_unknown_role_on_its_field()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "form-admin", isAdmin: true);
        using var admin = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await admin.SignInAsync("form-admin")).StatusCode);

        var empty = await admin.PostAsync("/desk/admin", "/desk/admin/agents", ("userName", ""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        FieldErrors.AssertLinked(await empty.Content.ReadAsStringAsync(), "new-user", "admin-error");

        var taken = await admin.PostAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-admin"));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        FieldErrors.AssertLinked(await taken.Content.ReadAsStringAsync(), "new-user", "admin-error");

        var role = await admin.PostAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-role"), ("role", "superuser"));
        Assert.Equal(HttpStatusCode.BadRequest, role.StatusCode);
        FieldErrors.AssertLinked(await role.Content.ReadAsStringAsync(), "new-role", "admin-error", group: true);
    }

    [Fact]
    public async Task Choosing_a_password_names_a_wrong_current_or_a_weak_new_password_on_its_field()
    {
        using var agent = await SignedInAsync("form-password");
        var wrong = await agent.PostAsync("/desk/password", "/desk/password", ("current", "niet-het-wachtwoord"), ("new", "een-goed-nieuw-wachtwoord-1"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        FieldErrors.AssertLinked(await wrong.Content.ReadAsStringAsync(), "current", "password-error");

        var weak = await agent.PostAsync("/desk/password", "/desk/password", ("current", DeskAgent.Password), ("new", "kort"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        FieldErrors.AssertLinked(await weak.Content.ReadAsStringAsync(), "new", "password-error");
    }

    [Fact]
    public async Task A_wrong_two_step_code_or_password_is_named_on_its_field_at_sign_in_and_on_the_account_page()
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "form-totp", totp: true);
        var key = await DeskAgent.AuthenticatorKeyAsync(desk.Databases, Tenant, "form-totp");
        using var browser = DeskAgent.For(desk, Tenant);
        await browser.SignInAsync("form-totp");
        var code = await browser.CodeAsync("form-totp", "12345");
        Assert.Equal(HttpStatusCode.BadRequest, code.StatusCode);
        FieldErrors.AssertLinked(await code.Content.ReadAsStringAsync(), "code", "login-error");
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.CodeAsync("form-totp", Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);

        var off = await browser.PostAsync("/desk/account", "/desk/account/totp/disable", ("password", "niet-het-wachtwoord"));
        Assert.Equal(HttpStatusCode.BadRequest, off.StatusCode);
        FieldErrors.AssertLinked(await off.Content.ReadAsStringAsync(), "totp-password", "account-message");

        using var plain = await SignedInAsync("form-totp-on");
        var on = await plain.PostAsync("/desk/account", "/desk/account/totp", ("code", "12345"));
        FieldErrors.AssertLinked(await on.Content.ReadAsStringAsync(), "totp-code", "account-message");
    }

    private async Task<DeskAgent> SignedInAsync(string userName)
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, userName);
        var agent = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(userName)).StatusCode);
        return agent;
    }
}
