using IdContact.Desk.Agents;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>
/// Views are audited once per agent, session and window (Desk:AuditViewWindowMinutes): the overview renders again on
/// every change, and a row per render buried the answer to "who saw whose data" under repeats.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task A_view_is_recorded_once_per_agent_and_session_within_the_window_and_again_after_it()
    {
        await QueuedCallAsync(desk.TenantB, "call-window", desk.Token("Venster Beller"), DeskServer.KeyB);
        var tenant = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants[desk.TenantB];
        var anna = new Agent { Id = "agent-window-anna", UserName = "anna-window" };
        var bob = new Agent { Id = "agent-window-bob", UserName = "bob-window" };
        var start = DateTimeOffset.UtcNow;
        Task<List<ContactView>> PerCall(Agent agent, TimeSpan after) =>
            desk.Contacts(new FakeTimeProvider(start + after)).IncomingAsync(desk.TenantB, tenant, agent, false, "call-window", CancellationToken.None);

        var session = Assert.Single(await PerCall(anna, TimeSpan.Zero)).Id;

        // Within ten minutes the per-call page and the overview show it to Anna again: still her first view only.
        await PerCall(anna, TimeSpan.FromMinutes(4));
        var page = await desk.Contacts(new FakeTimeProvider(start.AddMinutes(9))).PageAsync(desk.TenantB, tenant, anna, false, 1, CancellationToken.None);
        Assert.Contains(page.Contacts, c => c.Id == session);
        Assert.Equal([start.UtcTicks], await ViewTicksAsync(anna, session));

        // Bob's view is his own; Anna's view ten minutes after her last recorded one is a new row.
        await PerCall(bob, TimeSpan.FromMinutes(5));
        await PerCall(anna, TimeSpan.FromMinutes(10));
        await PerCall(anna, TimeSpan.FromMinutes(15));
        Assert.Equal([start.AddMinutes(5).UtcTicks], await ViewTicksAsync(bob, session));
        Assert.Equal([start.UtcTicks, start.AddMinutes(10).UtcTicks], await ViewTicksAsync(anna, session));
    }

    [Fact]
    public async Task With_a_window_of_zero_every_view_is_recorded()
    {
        await QueuedCallAsync(desk.TenantB, "call-every-view", desk.Token("Elke Blik"), DeskServer.KeyB);
        var options = desk.Server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var tenant = options.Tenants[desk.TenantB];
        var agent = new Agent { Id = "agent-every-view", UserName = "every-view" };
        var start = DateTimeOffset.UtcNow;
        var configured = options.Desk().AuditViewWindowMinutes;
        options.Desk().AuditViewWindowMinutes = 0;
        try
        {
            string? session = null;
            foreach (var after in new[] { 0, 1, 2 })
            {
                var shown = await desk.Contacts(new FakeTimeProvider(start.AddSeconds(after)))
                    .IncomingAsync(desk.TenantB, tenant, agent, false, "call-every-view", CancellationToken.None);
                session = Assert.Single(shown).Id;
            }

            Assert.Equal([0, 1, 2], (await ViewTicksAsync(agent, session!)).Select(t => (int)((t - start.UtcTicks) / TimeSpan.TicksPerSecond)));
        }
        finally
        {
            options.Desk().AuditViewWindowMinutes = configured;
        }
    }

    private async Task<List<long>> ViewTicksAsync(Agent agent, string sessionId)
    {
        await using var db = desk.Databases.Open(desk.TenantB);
        var views = await db.Audit.AsNoTracking()
            .Where(a => a.AgentId == agent.Id && a.SessionId == sessionId && a.Action == AuditActions.View)
            .Select(a => a.At).ToListAsync();
        return [.. views.Select(at => at.UtcTicks).Order()];
    }
}
