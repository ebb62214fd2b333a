using System.Net;

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

    private async Task<DeskAgent> PlanningAgentAsync(string prefix)
    {
        var user = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, user);
        var agent = DeskAgent.For(desk, desk.TenantA);
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync(user)).StatusCode);
        return agent;
    }
}
