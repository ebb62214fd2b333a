using IdContact.Desk.Video;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Dutch stays Dutch on the video pages: in a browser that prefers English, a resident who chose Nederlands keeps it
/// through the booking page's day form, the booking post and its redirect, the confirmation's links and the cancel form;
/// the call page's identification form names the language too. Without <c>?lang=nl</c> each of those fell back to English.
/// The confirmation and the cancel page carry the header's language switch as well, and so do the notices after it:
/// cancelled (where a reload no longer posts again), the dead link and the booking page opened again. The cancelled and
/// dead-link notices pass axe-core in both languages.
/// </summary>
public class ResidentVideoLanguageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task On_an_English_browser_a_resident_who_chose_Dutch_books_and_cancels_in_Dutch()
    {
        await using var server = await RunningServer.StartAsync();
        var bookingUrl = await VideoAppointmentPageTests.ToBookingPageAsync(
            await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync(), server.BaseUrl);
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "en-GB" })).NewPageBoundedAsync();
        await page.GotoAsync(bookingUrl.Split('?')[0]);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Make a video appointment");

        await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Videoafspraak maken");
        await page.Locator("#date").SelectOptionAsync((await page.Locator("#date option").Last.GetAttributeAsync("value"))!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tijden tonen" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        // The reload lands on the chosen day's first time, so a keyboard user does not start at the page's top again.
        await Assertions.Expect(page.Locator("#slot-0")).ToBeFocusedAsync();

        await page.GetByLabel("E-mailadres").FillAsync("inwoner@example.nl");
        await page.GetByLabel("E-mailadres").PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");
        var link = await page.Locator("#link").GetAttributeAsync("href");
        Assert.EndsWith("?lang=nl", link, StringComparison.Ordinal);

        // The confirmation and the cancel page switch too, and show the same appointment's links in the other language.
        await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your appointment is booked");
        await Assertions.Expect(page.Locator("#link")).ToHaveAttributeAsync("href", link!.Replace("?lang=nl", "?lang=en", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is gemaakt");

        await page.Locator("#cancel").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Afspraak annuleren");
        await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cancel appointment");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Afspraak annuleren");
        var cancelPage = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Afspraak annuleren" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is geannuleerd");

        // A reload asks for that page again, not for the cancellation (Post/Redirect/Get): it still says the appointment
        // is cancelled, rather than that the link no longer works, and it switches language.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw afspraak is geannuleerd");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your appointment is cancelled");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your appointment is cancelled");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);

        // The cancel link opened again (until the appointment's end it says so) and the booking page opened again speak
        // the language asked for, and switch.
        await page.GotoAsync(cancelPage);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Deze afspraak is al geannuleerd");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("This appointment is already cancelled");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Accessibility.AssertNoViolationsAsync(page, strictCsp: true);
        await page.GotoAsync(bookingUrl.Split('?')[0] + "?lang=nl");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Uw videoafspraak op");
        await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Your video appointment on");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Uw videoafspraak op");
    }

    [Fact]
    public async Task The_demo_link_of_a_call_planned_with_an_English_e_mail_is_the_e_mails_and_opens_in_English()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "erik", "Erik", browser.Chromium);
        await agent.GotoAsync(VideoCallTests.AppointmentsPage(agent));
        await agent.GetByLabel("E-mailadres van de inwoner").FillAsync("resident@example.org");
        await agent.GetByLabel("Taal van de e-mail").SelectOptionAsync("en");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Plannen en e-mail versturen" }).ClickAsync();

        // "The link in the e-mail is …": the same link, language included, so a Dutch browser opens it in English too.
        var link = (await agent.Locator("#demo-link a").GetAttributeAsync("href"))!;
        Assert.EndsWith("?lang=en", link, StringComparison.Ordinal);
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(link);
        await Assertions.Expect(resident.Locator("h1")).ToHaveTextAsync("Your video call");
    }

    [Fact]
    public async Task On_an_English_browser_the_Dutch_video_calls_identification_form_asks_in_Dutch()
    {
        await using var server = await RunningServer.StartAsync();
        var planned = await server.App.Services.GetRequiredService<AppointmentStore>().PlanAsync(
            "arnhem", "report_move", "beller@example.nl", DateTimeOffset.UtcNow, await VideoAppointmentPageTests.DemoAgentIdAsync(server), CancellationToken.None);
        var page = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "en-GB" })).NewPageBoundedAsync();
        await page.GotoAsync(planned.Link.Split('?')[0] + "?lang=nl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uw videogesprek");

        // Its post and the sign-in's way back come to this page in the language it shows.
        Assert.EndsWith("/identify?lang=nl", await page.Locator("#identify-methods").GetAttributeAsync("action"), StringComparison.Ordinal);
    }
}
