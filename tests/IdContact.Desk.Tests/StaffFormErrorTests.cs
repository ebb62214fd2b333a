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

        var empty = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", ""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        FieldErrors.AssertLinked(await empty.Content.ReadAsStringAsync(), "new-user", "admin-error");

        var taken = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-admin"));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        FieldErrors.AssertLinked(await taken.Content.ReadAsStringAsync(), "new-user", "admin-error");

        var role = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-role"), ("role", "superuser"));
        Assert.Equal(HttpStatusCode.BadRequest, role.StatusCode);
        FieldErrors.AssertLinked(await role.Content.ReadAsStringAsync(), "new-role", "admin-error", group: true, target: "new-agent");
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

        // Both wrong: both are listed, each on its field (the new password's rules say nothing about the current one).
        var both = await agent.PostAsync("/desk/password", "/desk/password", ("current", "niet-het-wachtwoord"), ("new", "kort"));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        var html = await both.Content.ReadAsStringAsync();
        Assert.Equal(["current", "new"], FieldErrors.SummaryLinks(html, "password-error"));
        FieldErrors.AssertLinked(html, "current", "password-error");
        FieldErrors.AssertLinked(html, "new", "password-error");
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

    [Fact]
    public async Task A_new_agent_post_with_several_errors_lists_every_one_in_a_summary_linked_to_its_field_and_keeps_what_was_typed()
    {
        using var admin = await AdminAsync("form-many");
        var refused = await admin.PostAsync(
            "/desk/admin", "/desk/admin/agents", ("userName", ""), ("displayName", new string('n', 101)), ("role", "superuser"), ("extension", "12a"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();

        // All four at once, in the order of the form, each linked; the radio group's link goes to its first choice.
        Assert.Equal(["new-user", "new-name", "new-agent", "new-ext"], FieldErrors.SummaryLinks(page, "admin-error"));
        FieldErrors.AssertLinked(page, "new-user", "admin-error");
        FieldErrors.AssertLinked(page, "new-name", "admin-error");
        FieldErrors.AssertLinked(page, "new-role", "admin-error", group: true, target: "new-agent");
        FieldErrors.AssertLinked(page, "new-ext", "admin-error");
        Assert.Contains("<title>Fout: Medewerkers beheren", page, StringComparison.Ordinal);
        Assert.Contains(">Er is een probleem</h2>", page, StringComparison.Ordinal);
        // The hint stays the extension's description, its message after it.
        Assert.Contains("aria-describedby=\"new-ext-hint new-ext-error\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"12a\"", page, StringComparison.Ordinal);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "superuser"));

        // A page without an error has no summary, no invalid field and an ordinary title.
        var fine = await admin.ReadAsync("/desk/admin");
        Assert.DoesNotContain("error-summary", fine, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-invalid", fine, StringComparison.Ordinal);
        Assert.Contains("<title>Medewerkers beheren", fine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_english_the_summary_says_there_is_a_problem_and_the_title_starts_with_error()
    {
        using var agent = await SignedInAsync("form-english");
        var wrong = await agent.PostAsync("/desk/password?lang=en", "/desk/password?lang=en", ("current", "not-the-password"), ("new", "a-good-new-password-1"));
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("<title>Error: Choose a new password", page, StringComparison.Ordinal);
        Assert.Contains(">There is a problem</h2>", page, StringComparison.Ordinal);
        Assert.Equal(["current"], FieldErrors.SummaryLinks(page, "password-error"));
    }

    [Fact]
    public async Task Deleting_without_script_asks_on_a_page_of_its_own_with_what_the_account_holds_and_then_deletes()
    {
        using var admin = await AdminAsync("form-delete-admin");
        await DeskAgent.CreateAsync(desk.Databases, Tenant, "form-leaver");
        var leaver = (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-leaver"))!;
        await desk.ChatTakenByAsync(Tenant, leaver);

        // What a browser without script sends: the form without the field confirm-submit.js sets.
        var asked = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete");
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Het account van form-leaver verwijderen? Dit kan niet ongedaan worden gemaakt.", page, StringComparison.Ordinal);
        Assert.Contains("Heeft nog 1 chat; bij verwijderen gaan die terug naar de wachtrij of naar een beschikbare collega.", page, StringComparison.Ordinal);
        Assert.Matches("<input type=\"hidden\" name=\"confirmed\" value=\"yes\"", page);
        Assert.Matches("<button type=\"submit\" id=\"confirm-delete\"[^>]*>Verwijderen</button>", page);
        Assert.Matches($"<a [^>]*id=\"cancel-delete\"[^>]*href=\"/{Tenant}/desk/admin\"[^>]*>Annuleren</a>", page);
        Assert.NotNull(await DeskAgent.FindAsync(desk.Databases, Tenant, "form-leaver"));

        // The admin page's form carries the (empty) field the script fills in, so with script one click deletes.
        Assert.Matches("<input type=\"hidden\" name=\"confirmed\" value(=\"\")? data-confirmed", await admin.ReadAsync("/desk/admin"));

        var deleted = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{leaver.Id}/delete", ("confirmed", "yes"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("Verwijderd: form-leaver.", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "form-leaver"));
    }

    [Fact]
    public async Task The_data_protection_officer_gets_no_extension_on_create_or_edit()
    {
        using var admin = await AdminAsync("form-officer-admin");
        var created = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-officer"), ("role", "privacy"), ("extension", "301"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var officer = (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-officer"))!;
        Assert.Null(officer.Extension);

        // No extension field on the officer's row; an agent's row keeps theirs. The new-agent form hides it for the role.
        var page = await admin.ReadAsync("/desk/admin");
        Assert.DoesNotContain($"id=\"ext-{officer.Id}\"", page, StringComparison.Ordinal);
        var self = (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-officer-admin"))!;
        Assert.Contains($"id=\"ext-{self.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains("<div class=\"new-extension\">", page, StringComparison.Ordinal);

        var edit = await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{officer.Id}/extension", ("extension", "302"));
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Null((await DeskAgent.FindAsync(desk.Databases, Tenant, "form-officer"))!.Extension);

        // An agent made officer loses their extension: calls would otherwise still be routed to them.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "form-to-officer"), ("extension", "303"))).StatusCode);
        var agent = (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-to-officer"))!;
        Assert.Equal("303", agent.Extension);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFollowAsync("/desk/admin", $"/desk/admin/agents/{agent.Id}/role", ("privacy", "true"))).StatusCode);
        Assert.Null((await DeskAgent.FindAsync(desk.Databases, Tenant, "form-to-officer"))!.Extension);
    }

    [Theory]
    [InlineData("Bert \u202Ereppeb")] // a right-to-left override: "Bert bakker" would read backwards after it
    [InlineData("Bert\u200BBakker")] // a zero-width space
    [InlineData("Bert\tBakker")]
    [InlineData("Bert\u2028Bakker")]
    public async Task A_display_name_with_an_invisible_or_control_character_is_refused_on_its_field(string name)
    {
        using var admin = await AdminAsync("form-bidi-" + (uint)name.GetHashCode());
        var user = "bidi-" + (uint)name.GetHashCode();
        var refused = await admin.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", user), ("displayName", name), ("role", ""), ("extension", ""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(["new-name"], FieldErrors.SummaryLinks(page, "admin-error"));
        FieldErrors.AssertLinked(page, "new-name", "admin-error");
        Assert.Contains("Vul een naam in zonder onzichtbare tekens of stuurtekens", page, StringComparison.Ordinal);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, user));
    }

    [Fact]
    public async Task A_display_name_stacking_more_combining_marks_than_a_chat_line_keeps_is_refused_on_its_field()
    {
        using var admin = await AdminAsync("form-zalgo-admin");
        // Five marks on one letter: a chat line would keep four.
        var refused = await admin.PostAsync(
            "/desk/admin", "/desk/admin/agents", ("userName", "form-zalgo"), ("displayName", "Bert Ba\u0301\u0302\u0303\u0304\u0308kker"), ("role", ""), ("extension", ""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(["new-name"], FieldErrors.SummaryLinks(page, "admin-error"));
        FieldErrors.AssertLinked(page, "new-name", "admin-error");
        Assert.Contains("Vul een naam in met hoogstens 4 accenten of andere combinatietekens op één letter.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Null(await DeskAgent.FindAsync(desk.Databases, Tenant, "form-zalgo"));

        // Four, as in a decomposed Vietnamese letter with its two and more, are a name like any other.
        var taken = await admin.PostFollowAsync(
            "/desk/admin", "/desk/admin/agents", ("userName", "form-marks"), ("displayName", "Nguye\u0302\u0303\u0301\u0308n"), ("role", ""), ("extension", ""));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("Nguye\u0302\u0303\u0301\u0308n", (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-marks"))!.DisplayName);
    }

    [Fact]
    public async Task A_display_name_with_ordinary_and_no_break_spaces_is_taken()
    {
        using var admin = await AdminAsync("form-spaces-admin");
        var created = await admin.PostFollowAsync(
            "/desk/admin?lang=en", "/desk/admin/agents?lang=en", ("userName", "form-spaces"), ("displayName", "Anna van\u00A0der Berg"), ("role", ""), ("extension", ""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("Anna van\u00A0der Berg", (await DeskAgent.FindAsync(desk.Databases, Tenant, "form-spaces"))!.DisplayName);

        // In English the refusal is English.
        var refused = await admin.PostAsync(
            "/desk/admin?lang=en", "/desk/admin/agents?lang=en", ("userName", "form-spaces-rlo"), ("displayName", "Anna\u202E"), ("role", ""), ("extension", ""));
        Assert.Contains("Enter a name without invisible or control characters", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<DeskAgent> AdminAsync(string userName)
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, userName, isAdmin: true);
        var admin = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await admin.SignInAsync(userName)).StatusCode);
        return admin;
    }

    private async Task<DeskAgent> SignedInAsync(string userName)
    {
        await DeskAgent.CreateAsync(desk.Databases, Tenant, userName);
        var agent = DeskAgent.For(desk, Tenant);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(userName)).StatusCode);
        return agent;
    }
}
