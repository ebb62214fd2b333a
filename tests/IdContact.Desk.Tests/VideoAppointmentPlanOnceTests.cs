using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>The agent's planning form plans once: a reload ("resubmit form?") or a double click plans nothing more.</summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    private static readonly (string, string)[] PlanNow = [("purpose", "report_move"), ("when", "now")];

    [Fact]
    public async Task A_planning_form_posted_again_plans_one_appointment_sends_one_email_and_says_it_is_planned()
    {
        using var agent = await PlanningAgentAsync("replan");
        var email = $"herhaal-{Guid.NewGuid():N}@example.nl";
        var form = await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]);

        var first = await agent.PostFormAsync("/desk/appointments/plan", form);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("de e-mail is verstuurd", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await agent.PostFormAsync("/desk/appointments/plan", form);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var page = await again.Content.ReadAsStringAsync();
        Assert.Contains("Deze afspraak is al gepland", page, StringComparison.Ordinal);
        Assert.DoesNotContain(email, page, StringComparison.Ordinal);

        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));
        await Smtp4dev.WaitForAsync(email);
        Assert.Equal(1, await Smtp4dev.CountAsync(email));
    }

    [Fact]
    public async Task A_planning_form_posted_twice_at_once_plans_one_appointment()
    {
        using var agent = await PlanningAgentAsync("dubbelklik");
        var email = $"dubbel-{Guid.NewGuid():N}@example.nl";
        var form = await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]);

        var answers = await Task.WhenAll(agent.PostFormAsync("/desk/appointments/plan", form), agent.PostFormAsync("/desk/appointments/plan", form));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));
        await Smtp4dev.WaitForAsync(email);
        Assert.Equal(1, await Smtp4dev.CountAsync(email));
    }

    [Fact]
    public async Task Two_planning_forms_plan_two_appointments()
    {
        using var agent = await PlanningAgentAsync("tweemaal");
        var email = $"twee-{Guid.NewGuid():N}@example.nl";
        foreach (var _ in new[] { 1, 2 })
        {
            var planned = await agent.PostAsync("/desk/appointments", "/desk/appointments/plan", [("email", email), .. PlanNow]);
            Assert.Contains("de e-mail is verstuurd", await planned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, (await desk.AppointmentsOfAsync(desk.TenantA, email)).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kort")]
    [InlineData("<script>alert(1)</script>-------")]
    public async Task A_planning_form_without_a_valid_one_time_id_is_a_form_error_and_plans_nothing(string? planKey)
    {
        using var agent = await PlanningAgentAsync("zonder-id");
        var email = $"zonder-{Guid.NewGuid():N}@example.nl";
        var form = (await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow])).Where(f => f.Key != "plan").ToList();
        if (planKey is not null)
        {
            form.Add(new("plan", planKey));
        }

        var refused = await agent.PostFormAsync("/desk/appointments/plan", form);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Dit formulier kon niet worden gelezen", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{email}\"", page, StringComparison.Ordinal);
        Assert.Empty(await desk.AppointmentsOfAsync(desk.TenantA, email));
    }

    [Fact]
    public async Task Two_plans_of_one_form_meeting_at_the_unique_index_leave_one_appointment_and_no_second_session()
    {
        var store = desk.Appointments(TimeProvider.System);
        var planner = await PlannerAsync(desk.TenantA);
        var key = Secrets.NewId();
        var before = await SessionsWithoutAppointmentAsync();

        // No lookup first in the store: the second save meets the first one's key in the unique index.
        var first = await store.PlanOnceAsync(desk.TenantA, "report_move", "eerste@example.nl", DateTimeOffset.UtcNow, planner, AppointmentMail.Dutch, key, CancellationToken.None);
        var second = await store.PlanOnceAsync(desk.TenantA, "report_move", "tweede@example.nl", DateTimeOffset.UtcNow, planner, AppointmentMail.Dutch, key, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal([first.Appointment.Id], await PlannedWithAsync(key));
        Assert.Subset(before, await SessionsWithoutAppointmentAsync());
    }

    [Fact]
    public async Task A_form_planned_on_another_instance_between_the_check_and_the_save_says_it_is_planned_and_sends_nothing()
    {
        using var agent = await PlanningAgentAsync("tegelijk");
        var email = $"verloren-{Guid.NewGuid():N}@example.nl";
        var form = await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]);
        var key = FormIds.Read(desk.TenantA, form.Single(f => f.Key == "plan").Value)!.Value.Key;
        var other = await desk.Appointments(TimeProvider.System).PlanAsync(
            desk.TenantA, "report_move", $"winnaar-{Guid.NewGuid():N}@example.nl", DateTimeOffset.UtcNow.AddDays(1), await PlannerAsync(desk.TenantA), CancellationToken.None);
        var before = await SessionsWithoutAppointmentAsync();

        HttpResponseMessage answer;
        await using (await AgentRaceTrigger.PlannedMidPlanAsync(desk.Databases, desk.TenantA, key, other.Appointment.Id))
        {
            answer = await agent.PostFormAsync("/desk/appointments/plan", form);
        }

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Deze afspraak is al gepland: Verhuizing doorgeven", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([other.Appointment.Id], await PlannedWithAsync(key));
        Assert.Empty(await desk.AppointmentsOfAsync(desk.TenantA, email));
        Assert.Subset(before, await SessionsWithoutAppointmentAsync());
        Assert.Equal(0, await Smtp4dev.CountAsync(email));
    }

    [Fact]
    public async Task A_form_older_than_its_lifetime_is_refused_with_what_was_typed_and_a_fresh_form_and_plans_nothing()
    {
        using var agent = await PlanningAgentAsync("oud");
        var email = $"oud-{Guid.NewGuid():N}@example.nl";
        var form = await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]);
        var old = WithPlan(form, FormIdsAt(DateTimeOffset.UtcNow - PlanFormIds.Lifetime - TimeSpan.FromMinutes(1)).Issue(desk.TenantA));

        foreach (var (query, text) in new[] { ("", "Dit formulier is te oud. Controleer de gegevens en verstuur opnieuw."), ("?lang=en", "This form is too old. Check the details and send it again.") })
        {
            var refused = await agent.PostFormAsync("/desk/appointments/plan" + query, old);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Contains(text, page, StringComparison.Ordinal);
            Assert.Contains($"value=\"{email}\"", page, StringComparison.Ordinal);
            var fresh = PlanField().Match(page).Groups[1].Value;
            Assert.Equal(new PlanFormId(FormIds.Read(desk.TenantA, fresh)!.Value.Key, TooOld: false), FormIds.Read(desk.TenantA, fresh));
        }

        Assert.Empty(await desk.AppointmentsOfAsync(desk.TenantA, email));
        Assert.Equal(0, await Smtp4dev.CountAsync(email));

        // Just younger than its lifetime, the same form plans.
        var young = WithPlan(form, FormIdsAt(DateTimeOffset.UtcNow - PlanFormIds.Lifetime + TimeSpan.FromMinutes(5)).Issue(desk.TenantA));
        Assert.Equal(HttpStatusCode.OK, (await agent.PostFormAsync("/desk/appointments/plan", young)).StatusCode);
        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));
    }

    [Fact]
    public async Task An_old_form_whose_appointment_stands_says_it_is_planned_rather_than_send_it_again()
    {
        using var agent = await PlanningAgentAsync("oud-gepland");
        var email = $"oud-gepland-{Guid.NewGuid():N}@example.nl";
        var plan = FormIdsAt(DateTimeOffset.UtcNow - PlanFormIds.Lifetime - TimeSpan.FromHours(1)).Issue(desk.TenantA);
        await desk.Appointments(TimeProvider.System).PlanOnceAsync(
            desk.TenantA, "report_move", email, DateTimeOffset.UtcNow, await PlannerAsync(desk.TenantA), AppointmentMail.Dutch, FormIds.Read(desk.TenantA, plan)!.Value.Key, CancellationToken.None);

        var again = await agent.PostFormAsync("/desk/appointments/plan", WithPlan(await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]), plan));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Deze afspraak is al gepland", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));
    }

    [Fact]
    public async Task A_tampered_form_id_another_tenants_or_a_bare_key_is_a_form_error_and_plans_nothing()
    {
        using var agent = await PlanningAgentAsync("vervalst");
        var email = $"vervalst-{Guid.NewGuid():N}@example.nl";
        var form = await agent.FormAsync("/desk/appointments", [("email", email), .. PlanNow]);
        var plan = form.Single(f => f.Key == "plan").Value;
        var middle = plan.Length / 2;
        var tampered = plan[..middle] + (plan[middle] == 'A' ? 'B' : 'A') + plan[(middle + 1)..];

        foreach (var forged in new[] { tampered, FormIds.Issue(desk.TenantB), FormIds.Read(desk.TenantA, plan)!.Value.Key })
        {
            var refused = await agent.PostFormAsync("/desk/appointments/plan", WithPlan(form, forged));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Dit formulier kon niet worden gelezen", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await desk.AppointmentsOfAsync(desk.TenantA, email));
    }

    private PlanFormIds FormIds => desk.Server.App.Services.GetRequiredService<PlanFormIds>();

    /// <summary>The server's form ids, issued on another clock.</summary>
    private PlanFormIds FormIdsAt(DateTimeOffset now) =>
        ActivatorUtilities.CreateInstance<PlanFormIds>(desk.Server.App.Services, new FakeTimeProvider(now) as TimeProvider);

    private static List<KeyValuePair<string, string>> WithPlan(List<KeyValuePair<string, string>> form, string plan) =>
        [.. form.Where(f => f.Key != "plan"), new("plan", plan)];

    private async Task<List<string>> PlannedWithAsync(string key)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Appointments.AsNoTracking().Where(a => a.PlanKey == key).Select(a => a.Id).ToListAsync();
    }

    /// <summary>Video sessions of tenant A that no appointment holds: a lost plan must not add one.</summary>
    private async Task<HashSet<string>> SessionsWithoutAppointmentAsync()
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return [.. await db.Sessions.AsNoTracking()
            .Where(s => s.Channel == Channels.Video && !db.Appointments.Any(a => a.SessionId == s.Id)).Select(s => s.Id).ToListAsync()];
    }

    [GeneratedRegex("name=\"plan\" value=\"([^\"]+)\"")]
    private static partial Regex PlanField();

    private async Task<DeskAgent> PlanningAgentAsync(string prefix)
    {
        var user = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        return agent;
    }
}
