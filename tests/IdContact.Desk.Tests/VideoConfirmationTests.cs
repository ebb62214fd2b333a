using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>Post/Redirect/Get after booking: a confirmation page that survives a reload, a double submit that books once.</summary>
public abstract partial class VideoAppointmentTests<TServer>
{
    [Fact]
    public async Task Booking_answers_303_to_a_confirmation_page_that_a_reload_shows_again_with_both_links()
    {
        var email = $"herlaad-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, form) = await resident.FirstSlotAsync();

        var posted = await resident.BookAsync(slot, email);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var location = posted.Headers.Location!.ToString();
        Assert.Matches($"^/{desk.TenantA}/video/booked/[A-Za-z0-9_-]{{43}}/[A-Za-z0-9_-]{{43}}\\?lang=nl$", location);

        var first = await resident.Client.GetAsync(location);
        var reloaded = await resident.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        Assert.True(reloaded.Headers.CacheControl!.NoStore);
        var page = await reloaded.Content.ReadAsStringAsync();
        var firstPage = await first.Content.ReadAsStringAsync();
        Assert.Equal(LinkOnPage().Match(firstPage).Value, LinkOnPage().Match(page).Value);
        Assert.Equal(CancelOnPage().Match(firstPage).Value, CancelOnPage().Match(page).Value);
        Assert.Equal(Regex.Match(firstPage, "<strong>[^<]+</strong>").Value, Regex.Match(page, "<strong>[^<]+</strong>").Value); // date and time
        Assert.Contains("Uw afspraak is gemaakt", page, StringComparison.Ordinal);
        Assert.Contains("We hebben de link en een agenda-uitnodiging naar uw e-mailadres gestuurd.", page, StringComparison.Ordinal);
        Assert.Contains("id=\"ics\"", page, StringComparison.Ordinal);
        var link = LinkOnPage().Match(page).Groups[1].Value;
        var cancel = CancelOnPage().Match(page).Groups[1].Value;
        var mail = await Smtp4dev.WaitForAsync(email);
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(cancel, mail.TextBody, StringComparison.Ordinal);

        // The form posted again (the back button, a second click): still one appointment, and no links on that answer.
        var again = await resident.PostFormAsync(resident.PageUrl, form, ("slot", slot.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("email", email));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.DoesNotContain("/video/join/", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));

        // Cancelled, the confirmation is gone too.
        var ask = await resident.Client.GetStringAsync(cancel);
        Assert.Equal(HttpStatusCode.SeeOther, (await resident.PostFormAsync(cancel, ask)).StatusCode);
        var afterCancel = await resident.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, afterCancel.StatusCode);
        Assert.DoesNotContain("/video/join/", await afterCancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_whose_address_cannot_be_opened_shows_its_links_without_the_calendar_file()
    {
        var email = $"sleutel-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();
        var location = (await resident.BookAsync(slot, email)).Headers.Location!.ToString();
        var id = Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email)).Id;

        // Encrypted under a key the ring no longer has (restored from another installation, say): it reads as no address.
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            Assert.Equal(1, await db.Appointments.Where(a => a.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Email, AppointmentEmailProtector.Prefix + "bm90LWEta2V5")));
        }

        var answer = await resident.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Matches(LinkOnPage(), page);
        Assert.Matches(CancelOnPage(), page);
        Assert.DoesNotContain("id=\"ics\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_double_submit_of_the_booking_form_makes_one_appointment()
    {
        var email = $"dubbel-{Guid.NewGuid():N}@example.nl";
        var resident = await ResidentAsync(desk.TenantA);
        var (slot, _) = await resident.FirstSlotAsync();

        var answers = await Task.WhenAll(resident.BookAsync(slot, email), resident.BookAsync(slot, email));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.SeeOther);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Single(await desk.AppointmentsOfAsync(desk.TenantA, email));
    }

    [Fact]
    public async Task A_made_up_mixed_or_other_municipalitys_confirmation_url_gets_a_page_without_data()
    {
        var one = await desk.Appointments(TimeProvider.System).PlanAsync(desk.TenantA, "report_move", "een@example.nl", DateTimeOffset.UtcNow.AddDays(1), await PlannerAsync(desk.TenantA), CancellationToken.None);
        var other = await desk.Appointments(TimeProvider.System).PlanAsync(desk.TenantA, "report_move", "twee@example.nl", DateTimeOffset.UtcNow.AddDays(1), await PlannerAsync(desk.TenantA), CancellationToken.None);
        string Token(string url) => url.Split('/')[^1];
        var (link, cancel) = (Token(one.Link), Token(one.CancelLink));
        Assert.Equal(HttpStatusCode.OK, (await desk.Server.Client.GetAsync($"/{desk.TenantA}/video/booked/{link}/{cancel}")).StatusCode);

        foreach (var url in new[]
        {
            $"/{desk.TenantB}/video/booked/{link}/{cancel}", // another municipality
            $"/{desk.TenantA}/video/booked/{cancel}/{link}", // swapped
            $"/{desk.TenantA}/video/booked/{link}/{Token(other.CancelLink)}", // another appointment's cancel token
            $"/{desk.TenantA}/video/booked/{link}/{new string('A', 43)}",
            $"/{desk.TenantA}/video/booked/{link}/x",
            $"/{desk.TenantA}/video/booked/{link}/{new string('A', 200)}",
        })
        {
            var response = await desk.Server.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("/video/join/", html, StringComparison.Ordinal);
            Assert.DoesNotContain("/video/cancel/", html, StringComparison.Ordinal);
        }
    }
}
