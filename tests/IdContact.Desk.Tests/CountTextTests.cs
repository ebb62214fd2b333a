using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Phone;
using IdContact.Desk.Video;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>Durations that settings can make 1 read "1 minuut", never "1 minuten" (nor "1 minutes").</summary>
public sealed class CountTextTests
{
    [Theory]
    [InlineData(false, "Probeer het over 1 minuut opnieuw,")]
    [InlineData(true, "Try again in 1 minute,")]
    public async Task The_callers_wait_after_too_many_wrong_codes_is_singular_for_one_minute(bool english, string expected)
    {
        var html = await RenderAsync<WebCodePage>(new()
        {
            [nameof(WebCodePage.TenantTag)] = "t",
            [nameof(WebCodePage.Municipality)] = "Gemeente",
            [nameof(WebCodePage.English)] = english,
            [nameof(WebCodePage.Step)] = WebCodeStep.TooMany,
            [nameof(WebCodePage.RetryMinutes)] = 1,
        });
        Assert.Contains(expected, html);
    }

    [Theory]
    [InlineData(false, "data-every=\"1 seconde\"", "data-retention=\"1 minuut\"")]
    [InlineData(true, "data-every=\"1 second\"", "data-retention=\"1 minute\"")]
    public async Task The_overview_script_gets_its_durations_as_text_singular_for_one(bool english, string every, string retention)
    {
        var html = await RenderAsync<OverviewPage>(new()
        {
            [nameof(OverviewPage.Contacts)] = new ContactPage([], 1, 0),
            [nameof(OverviewPage.TenantTag)] = "t",
            [nameof(OverviewPage.Brand)] = "Gemeente",
            [nameof(OverviewPage.ExternalLinkLabel)] = "",
            [nameof(OverviewPage.AntiforgeryField)] = "f",
            [nameof(OverviewPage.AntiforgeryToken)] = "x",
            [nameof(OverviewPage.English)] = english,
            [nameof(OverviewPage.RefreshSeconds)] = 1,
            [nameof(OverviewPage.RetentionMinutes)] = 1,
        });
        Assert.Contains(every, html);
        Assert.Contains(retention, html);
    }

    [Theory]
    [InlineData(false, "data-every=\"1 seconde\"")]
    [InlineData(true, "data-every=\"1 second\"")]
    public async Task The_appointments_script_gets_its_refresh_as_text_singular_for_one(bool english, string every)
    {
        var html = await RenderAsync<AppointmentsPage>(new()
        {
            [nameof(AppointmentsPage.Appointments)] = Array.Empty<AppointmentRow>(),
            [nameof(AppointmentsPage.Over)] = new OverAppointments([], false),
            [nameof(AppointmentsPage.Agents)] = Array.Empty<KeyValuePair<string, string>>(),
            [nameof(AppointmentsPage.Purposes)] = Array.Empty<KeyValuePair<string, string>>(),
            [nameof(AppointmentsPage.TenantTag)] = "t",
            [nameof(AppointmentsPage.Brand)] = "Gemeente",
            [nameof(AppointmentsPage.AgentId)] = "a",
            [nameof(AppointmentsPage.AntiforgeryField)] = "f",
            [nameof(AppointmentsPage.AntiforgeryToken)] = "x",
            [nameof(AppointmentsPage.PlanKey)] = "k",
            [nameof(AppointmentsPage.English)] = english,
            [nameof(AppointmentsPage.RefreshSeconds)] = 1,
        });
        Assert.Contains(every, html);
    }

    [Fact]
    public void Many_stays_plural()
    {
        Assert.Equal("60 minuten", CountText.Minutes(60, english: false));
        Assert.Equal("30 seconds", CountText.Seconds(30, english: true));
    }

    // The pages read the request (their brand) as a cascading HttpContext; one without a tenant is the plain brand.
    private static async Task<string> RenderAsync<T>(Dictionary<string, object?> parameters)
        where T : IComponent
    {
        // The staff pages' navigation writes a sign-out form: it needs antiforgery.
        await using var services = new ServiceCollection().AddLogging().AddAntiforgery().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        RenderFragment page = builder =>
        {
            builder.OpenComponent<T>(0);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(1, name, value);
            }

            builder.CloseComponent();
        };
        var cascade = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(CascadingValue<HttpContext>.Value)] = new DefaultHttpContext { RequestServices = services },
            [nameof(CascadingValue<HttpContext>.ChildContent)] = page,
        });
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<CascadingValue<HttpContext>>(cascade)).ToHtmlString());
    }
}
