using System.Text.RegularExpressions;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>ID Video in Chromium with a fake camera and microphone: a resident and an agent in two browser contexts.</summary>
public partial class VideoCallTests(VideoBrowser browser, RefusingVideoBrowser refusing) : IClassFixture<VideoBrowser>, IClassFixture<RefusingVideoBrowser>
{
    [Fact]
    public async Task Resident_waits_until_the_agent_joins_both_see_each_other_the_agent_gets_the_data_in_the_call_and_hang_up_ends_it_for_both()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "vera", "Vera Video", browser.Chromium);
        var link = await PlanNowAsync(agent);

        // The resident opens the link: the waiting room, with their own picture, until the agent joins.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await PlayingAsync(resident, "#local-video");
        await Task.Delay(1000);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await Assertions.Expect(resident.Locator("#remote-video")).ToBeHiddenAsync();
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // The agent opens the call from the Afspraken page: each side sees and hears the other.
        await agent.GotoAsync(AppointmentsPage(agent));
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In gesprek met de inwoner.");
        await PlayingAsync(resident, "#remote-video");
        await PlayingAsync(agent, "#remote-video");
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Niet geïdentificeerd");

        // Mute and camera off switch the own tracks off, and say so to assistive technology.
        await resident.GetByRole(AriaRole.Button, new() { Name = "Microfoon uit" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#mute")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.False(await resident.EvaluateAsync<bool>("() => document.getElementById('local-video').srcObject.getAudioTracks()[0].enabled"));
        await agent.GetByRole(AriaRole.Button, new() { Name = "Camera uit" }).ClickAsync();
        Assert.False(await agent.EvaluateAsync<bool>("() => document.getElementById('local-video').srcObject.getVideoTracks()[0].enabled"));
        await agent.GetByRole(AriaRole.Button, new() { Name = "Camera uit" }).ClickAsync();

        // Another microphone during the call (Chromium's fake devices offer several): the own track is the chosen one,
        // still off as the resident left it, and the agent keeps hearing and seeing the resident.
        await resident.GetByText("Camera en microfoon kiezen").ClickAsync();
        var microphones = resident.GetByLabel("Microfoon", new() { Exact = true });
        var choices = await microphones.Locator("option").AllTextContentsAsync();
        Assert.True(choices.Count > 1, string.Join(", ", choices));
        var inUse = await microphones.Locator("option:checked").TextContentAsync();
        var other = choices.First(c => c != inUse);
        await microphones.SelectOptionAsync(new SelectOptionValue { Label = other });
        await resident.WaitForFunctionAsync("label => document.getElementById('local-video').srcObject.getAudioTracks()[0].label === label", other);
        Assert.False(await resident.EvaluateAsync<bool>("() => document.getElementById('local-video').srcObject.getAudioTracks()[0].enabled"));
        Assert.Equal(1, await resident.EvaluateAsync<int>("() => document.getElementById('local-video').srcObject.getAudioTracks().length"));
        await Assertions.Expect(resident.Locator("#device-error")).ToBeEmptyAsync();
        await PlayingAsync(agent, "#remote-video");
        await Accessibility.AssertNoViolationsAsync(agent);
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // Identification in the call: the resident signs in in a pop-up, the call stays up, the agent sees the data live.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" }).ClickAsync();
        // The agent's focus goes to what happened (WCAG 2.4.3), as in the chat.
        var asked = agent.Locator("#identify-state");
        await Assertions.Expect(asked).ToHaveTextAsync("Identificatie gevraagd; de inwoner ziet het verzoek in het gesprek.");
        await Assertions.Expect(asked).ToBeFocusedAsync();
        var dialog = resident.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("De medewerker vraagt wie u bent");
        var popup = await resident.RunAndWaitForPopupAsync(() => dialog.GetByRole(AriaRole.Button, new() { Name = "Testinlog" }).ClickAsync());
        await popup.WaitForPageAsync("**/arnhem/auth-test/**");
        await popup.Locator("input[name='attr:fullname']").FillAsync("Sanne de Boer");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Sanne de Boer");
        await Assertions.Expect(agent.Locator("#details .test-data")).ToContainTextAsync("Testgegevens — niet bewezen");
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Identificatie vragen" })).ToBeHiddenAsync();
        // The status that had the focus is hidden with the button: the focus moves to the data's heading, not to nothing.
        await Assertions.Expect(agent.Locator("#data-title")).ToBeFocusedAsync();
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Identificatie gelukt.");
        Assert.Equal(link, resident.Url);
        await PlayingAsync(agent, "#remote-video");

        // Hang up ends it for both; nothing of the call is left, the view of the data was audited.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Ophangen" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Het gesprek is beëindigd. Uw gegevens zijn verwijderd.");
        await Assertions.Expect(agent.Locator("#call-status")).ToContainTextAsync("Het gesprek is beëindigd");
        // The status says the data is deleted: the panel no longer shows it.
        await Assertions.Expect(agent.Locator("#details")).ToBeEmptyAsync();
        // The dead stage goes on both sides, and the focus that was on the disabled Ophangen moves to the status
        // (WCAG 2.4.3); the resident's "begint om …" no longer applies.
        await Assertions.Expect(agent.Locator("#call")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("#call-status")).ToBeFocusedAsync();
        await Assertions.Expect(resident.Locator("#call")).ToBeHiddenAsync();
        await Assertions.Expect(resident.Locator("#starts")).ToBeHiddenAsync();
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        Assert.Empty(await db.Appointments.ToListAsync());
        Assert.Empty(await db.Sessions.Where(s => s.Channel == "video").ToListAsync());
        Assert.Contains(await db.Audit.AsNoTracking().ToListAsync(), a => a.Action == "view" && a.AgentName == "vera");
        Assert.Equal(404, (await resident.APIRequest.GetAsync(link)).Status);

        // The agent reloads the ended call: the Afspraken page says it ended, not that a colleague took it.
        await agent.ReloadAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/appointments"));
        await Assertions.Expect(agent.Locator("#message")).ToHaveTextAsync("Dat videogesprek bestaat niet meer: het is beëindigd of de afspraak is geannuleerd.");
    }

    [Fact]
    public async Task A_resident_whose_camera_is_refused_is_told_how_to_allow_it_and_a_blocked_pop_up_signs_in_in_the_same_tab_in_english()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "wim", "Wim", browser.Chromium);
        // The link without its language (the e-mail's has ?lang=nl), so the browser's English counts.
        var link = (await PlanNowAsync(agent)).Split('?')[0];

        // Camera and microphone refused (no one grants them), pop-ups blocked, and a browser that asks for English.
        var resident = await (await refusing.Chromium.NewContextBoundedAsync(new() { Locale = "en-GB" })).NewPageBoundedAsync();
        await resident.AddInitScriptAsync("window.open = () => null;");
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(resident.Locator("#media-error")).ToContainTextAsync("Your browser does not allow this page to use your camera and microphone");
        await Assertions.Expect(resident.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();

        // The call still starts: the resident sees the agent, whose call page is in English too (the Afspraken page's
        // language carries over to the call).
        await agent.GotoAsync(AppointmentsPage(agent) + "?lang=en");
        // Once the list says so, the resident's arrival has reached it: a later refresh would replace the link mid-click.
        await Assertions.Expect(agent.GetByText("Waiting in the waiting room")).ToBeVisibleAsync();
        await agent.GetByRole(AriaRole.Link, new() { Name = "Open video call" }).ClickAsync();
        await Assertions.Expect(agent.Locator("html")).ToHaveAttributeAsync("lang", "en");
        // The agent is told the resident's camera and microphone are off (none the browser may use).
        await Assertions.Expect(agent.Locator("#call-status")).ToHaveTextAsync("In the call with the resident. The resident's camera is off. The resident's microphone is off.");
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("You are in the call with the agent.");
        await PlayingAsync(resident, "#remote-video");
        await Accessibility.AssertNoViolationsAsync(agent);
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);

        // Pop-ups blocked: the sign-in runs in the same tab and comes back to the call, which starts again.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Ask for identification" }).ClickAsync();
        var dialog = resident.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("The agent asks who you are");
        await Accessibility.AssertNoViolationsAsync(resident, strictCsp: true);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Test sign-in" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync("Ali Yilmaz");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await resident.WaitForPageAsync(link + "?lang=en"); // back to the call, in the resident's language
        await Assertions.Expect(agent.Locator("#details")).ToContainTextAsync("Ali Yilmaz");
        await PlayingAsync(resident, "#remote-video");
    }

    /// <summary>Plans a video call for now on the agent's Afspraken page; the demo (no mail server) shows the link.</summary>
    internal static async Task<string> PlanNowAsync(IPage agent)
    {
        await agent.GotoAsync(AppointmentsPage(agent));
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("inwoner@example.nl");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();
        return (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!;
    }

    /// <summary>Plans a call for now, the resident opens its link and the agent the call: both are in it. The resident's page.</summary>
    internal static async Task<IPage> InCallAsync(IPage agent, IBrowser chromium)
    {
        var link = await PlanNowAsync(agent);
        var resident = await (await chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("Wacht op de medewerker …");
        await agent.GotoAsync(AppointmentsPage(agent));
        await agent.GetByRole(AriaRole.Link, new() { Name = "Videogesprek openen" }).ClickAsync();
        await agent.WaitForPageAsync(new Regex("/arnhem/desk/video/"));
        await Assertions.Expect(resident.Locator("#call-status")).ToHaveTextAsync("U bent in gesprek met de medewerker.");
        return resident;
    }

    internal static string AppointmentsPage(IPage agent) => new Uri(new Uri(agent.Url), "/arnhem/desk/appointments").ToString();

    /// <summary>The video shows a picture and its time moves on past where it was (awaited: a starved renderer may pause a while).</summary>
    internal static async Task PlayingAsync(IPage page, string selector)
    {
        await page.WaitForFunctionAsync("s => document.querySelector(s).videoWidth > 0", selector, new() { Timeout = 20_000 });
        var first = await page.EvaluateAsync<double>("s => document.querySelector(s).currentTime", selector);
        await page.WaitForFunctionAsync("([s, t]) => document.querySelector(s).currentTime > t", new object[] { selector, first });
    }
}
