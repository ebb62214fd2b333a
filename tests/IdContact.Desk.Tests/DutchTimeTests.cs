using System.Net;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>
/// Agent and admin pages show times in Dutch time whatever zone the server runs in: this machine and CI run in UTC,
/// where the server's local time was an hour (two in summer) off the clock on the agent's wall.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task The_overview_and_the_admin_page_show_times_in_dutch_time_and_date_format()
    {
        await QueuedCallAsync(desk.TenantB, "call-dutch-time", desk.Token("Tijd Beller"), DeskServer.KeyB);
        DateTimeOffset since;
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            since = await db.Sessions.Where(s => s.CallId == "call-dutch-time").Select(s => s.CreatedAt).SingleAsync();
        }

        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "tijd-beheerder", isAdmin: true);
        using var browser = DeskAgent.For(desk, desk.TenantB);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("tijd-beheerder")).StatusCode);
        var call = await (await browser.GetAsync("/desk/calls/call-dutch-time")).Content.ReadAsStringAsync();
        Assert.Contains($"sinds {DutchTime.Of(since):HH:mm}", call);

        // An administrator action, then the admin page's list of them.
        Assert.Equal(HttpStatusCode.OK, (await browser.PostFollowAsync("/desk/admin", "/desk/admin/agents", ("userName", "tijd-nieuw"), ("displayName", "Tijd Nieuw"))).StatusCode);
        DateTimeOffset created;
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            created = await db.AdminAudit.Where(a => a.AgentName == "tijd-nieuw").Select(a => a.At).SingleAsync();
        }

        var admin = await (await browser.GetAsync("/desk/admin")).Content.ReadAsStringAsync();
        // Written the Dutch way, as on the access log: day-month-year (the administrator's own last sign-in too).
        Assert.Contains($">{DutchTime.Of(created):dd-MM-yyyy HH:mm:ss}</time>", admin);
        Assert.Matches(@"<time datetime=""[^""]+"">\d{2}-\d{2}-\d{4} \d{2}:\d{2}</time>", admin);
        Assert.DoesNotMatch(@">\d{4}-\d{2}-\d{2} \d{2}:\d{2}", admin);
    }
}
