using System.Net;
using System.Text.RegularExpressions;
using IdContact.Desk.Agents;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>The agent overview is bounded and paged (issue 12): newest first, a right count, only this tenant's calls.</summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task The_overview_pages_newest_first_with_the_right_count_audits_only_the_page_shown_and_never_shows_another_tenant()
    {
        var query = desk.Server.App.Services.GetRequiredService<ContactsQuery>();
        var tenant = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[desk.TenantB];
        var agent = new Agent { Id = "agent-pager", UserName = "pager" };
        var before = (await query.PageAsync(desk.TenantB, tenant, agent, false, 1, CancellationToken.None)).Total;

        // Tenant A's call arrives in between; tenant B gets 25 calls, one after the other.
        await QueuedCallAsync(desk.TenantA, "call-elders", desk.Token("Andere Gemeente"));
        var calls = 25;
        for (var i = 0; i < calls; i++)
        {
            await QueuedCallAsync(desk.TenantB, $"call-page-{i}", desk.Token($"Pagina Beller {i:D2}"), DeskServer.KeyB);
        }

        var first = await query.PageAsync(desk.TenantB, tenant, agent, false, 1, CancellationToken.None);
        Assert.Equal(before + calls, first.Total);
        Assert.Equal(ContactsQuery.PageSize, first.Contacts.Count);
        Assert.Equal(Enumerable.Range(calls - ContactsQuery.PageSize, ContactsQuery.PageSize).Reverse().Select(i => $"Pagina Beller {i:D2}"), first.Contacts.Select(Name));

        // Page 2 goes on with the older calls; the audit records exactly the contacts shown on it (those this agent saw
        // on the first call's page 1, before the 25 arrived, are within the view window and already recorded).
        var audited = await AuditedAsync(desk.TenantB, agent.Id);
        var second = await query.PageAsync(desk.TenantB, tenant, agent, false, 2, CancellationToken.None);
        Assert.Equal(2, second.Page);
        Assert.Equal(
            Enumerable.Range(0, calls - ContactsQuery.PageSize).Reverse().Select(i => $"Pagina Beller {i:D2}"),
            second.Contacts.Take(calls - ContactsQuery.PageSize).Select(Name));
        var revealed = second.Contacts.Where(c => c.Attributes.Count > 0).Select(c => c.Id).ToList();
        Assert.Equal(audited.Concat(revealed.Except(audited)).Order(), (await AuditedAsync(desk.TenantB, agent.Id)).Order());

        // Past the end is the last page; every page together is the count, and none holds tenant A's call.
        var last = await query.PageAsync(desk.TenantB, tenant, agent, false, 10_000, CancellationToken.None);
        Assert.Equal(first.Pages, last.Page);
        var all = new List<ContactView>();
        for (var page = 1; page <= first.Pages; page++)
        {
            all.AddRange((await query.PageAsync(desk.TenantB, tenant, agent, false, page, CancellationToken.None)).Contacts);
        }

        Assert.Equal(first.Total, all.Count);
        Assert.Equal(all.Count, all.Select(c => c.Id).Distinct().Count());
        Assert.DoesNotContain(all, c => Name(c) == "Andere Gemeente");
        Assert.Contains((await query.PageAsync(desk.TenantA, tenant, agent, false, 1, CancellationToken.None)).Contacts, c => Name(c) == "Andere Gemeente");
    }

    [Fact]
    public async Task Beyond_a_thousand_contacts_the_overview_says_more_than_a_thousand_and_pages_through_the_newest()
    {
        // Straight into the database: a queue this long through the exchange would take minutes. Removed afterwards,
        // so the other tests of this class still count from their own start.
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, ContactsQuery.CountCap + 5).Select(i => $"bulk-{Guid.NewGuid():N}").ToList();
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            db.Sessions.AddRange(ids.Select((id, i) => new Sessions.ContactSession
            {
                Id = id,
                Channel = "phone",
                Purpose = "report_move",
                State = Sessions.ContactState.Queued,
                CallId = id,
                CreatedAt = now.AddHours(1).AddSeconds(-i), // newer than any other test's contact
                LastActivityAt = now,
            }));
            await db.SaveChangesAsync();
        }

        try
        {
            var query = desk.Server.App.Services.GetRequiredService<ContactsQuery>();
            var tenant = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[desk.TenantB];
            var agent = new Agent { Id = "agent-bulk", UserName = "bulk" };
            var first = await query.PageAsync(desk.TenantB, tenant, agent, false, 1, CancellationToken.None);
            Assert.True(first.MoreThanCounted);
            Assert.Equal(ContactsQuery.CountCap / ContactsQuery.PageSize, first.Pages);
            Assert.Equal(ids.Take(ContactsQuery.PageSize), first.Contacts.Select(c => c.Id));
            var last = await query.PageAsync(desk.TenantB, tenant, agent, false, 10_000, CancellationToken.None);
            Assert.Equal(first.Pages, last.Page);
            Assert.Equal(ids.Skip(ContactsQuery.CountCap - ContactsQuery.PageSize).Take(ContactsQuery.PageSize), last.Contacts.Select(c => c.Id));

            await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "bulk-agent");
            using var browser = DeskAgent.For(desk, desk.TenantB);
            Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("bulk-agent")).StatusCode);
            var fragment = await (await browser.GetAsync("/desk/contacts")).Content.ReadAsStringAsync();
            Assert.Contains("Meer dan 1.000 contacten, nieuwste eerst", fragment);
            Assert.Contains("Pagina 1 van 50+", System.Net.WebUtility.HtmlDecode(fragment));
            var english = await (await browser.GetAsync("/desk/contacts?lang=en")).Content.ReadAsStringAsync();
            Assert.Contains("More than 1,000 contacts, newest first", english);
            Assert.Contains("Page 1 of 50+", System.Net.WebUtility.HtmlDecode(english));
        }
        finally
        {
            await using var db = desk.Databases.Open(desk.TenantB);
            await db.Sessions.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task The_overview_reads_a_page_and_its_count_in_one_statement()
    {
        // Issue 12: every list refresh of every agent runs this, so the count rides along with the page's rows.
        await QueuedCallAsync(desk.TenantB, "call-one-read", desk.Token("Eén Leesronde"), DeskServer.KeyB);
        var query = desk.Server.App.Services.GetRequiredService<ContactsQuery>();
        var tenant = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[desk.TenantB];
        var agent = new Agent { Id = "agent-one-read", UserName = "one-read" };
        await using (var db = desk.Databases.Open(desk.TenantB))
        {
            // A pooled context that saw no listener skips the check for LoggingCacheTime: wait until that has run out.
            await Task.Delay(db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.LoggingCacheTime + TimeSpan.FromMilliseconds(100));
        }

        using var counter = new StatementCounter();
        var (page, statements) = await counter.RecordAsync(() => query.PageAsync(desk.TenantB, tenant, agent, false, 1, CancellationToken.None));

        Assert.Contains(page.Contacts, c => c.Attributes.Any(a => a.Value == "Eén Leesronde"));
        Assert.True(page.Total >= page.Contacts.Count);
        Assert.DoesNotContain(statements, s => s.TrimStart().StartsWith("SELECT count(", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_overview_page_links_to_older_and_newer_pages_in_dutch()
    {
        for (var i = 0; i < ContactsQuery.PageSize + 1; i++)
        {
            await QueuedCallAsync(desk.TenantB, $"call-link-{i}", desk.Token($"Link Beller {i:D2}"), DeskServer.KeyB);
        }

        await DeskAgent.CreateAsync(desk.Databases, desk.TenantB, "pagina-agent");
        using var browser = DeskAgent.For(desk, desk.TenantB);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("pagina-agent")).StatusCode);

        var firstPage = await (await browser.GetAsync("/desk")).Content.ReadAsStringAsync();
        Assert.Contains("Volgende pagina (oudere contacten)", firstPage);
        Assert.DoesNotContain("Vorige pagina", firstPage);
        Assert.Matches("Pagina 1 van [0-9]+", firstPage);
        Assert.Contains($"href=\"/{desk.TenantB}/desk?page=2\"", firstPage);

        var fragment = await (await browser.GetAsync("/desk/contacts?page=2")).Content.ReadAsStringAsync();
        Assert.Contains("data-page=\"2\"", fragment);
        Assert.Contains("Vorige pagina (nieuwere contacten)", fragment);
        Assert.Matches(new Regex("[0-9]+ contacten, nieuwste eerst"), fragment);
    }

    private static string Name(ContactView contact) => contact.Attributes.FirstOrDefault(a => a.Value.StartsWith("Pagina", StringComparison.Ordinal) || a.Value == "Andere Gemeente").Value ?? "";

    /// <summary>The session of each audit row of this agent.</summary>
    private async Task<List<string>> AuditedAsync(string tenant, string agentId)
    {
        await using var db = desk.Databases.Open(tenant);
        return await db.Audit.Where(a => a.AgentId == agentId).Select(a => a.SessionId).ToListAsync();
    }
}
