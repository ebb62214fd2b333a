using IdContact.Auth.Irma.Session;
using IdContact.Comm.Test.Sessions;
using IdContact.Hosting;
using Microsoft.Extensions.Options;

namespace IdContact.Roles.Tests;

/// <summary>In-memory stores are capped per municipality, and the cap really caps (issue 8.5).</summary>
public class InMemoryCapTests
{
    [Fact]
    public void Test_conversations_are_capped_per_tenant_and_one_tenant_cannot_fill_anothers_room()
    {
        var store = new CommSessionStore(Options.Create(new IdContactOptions()), TimeProvider.System, maxPerTenant: 50);
        var made = Enumerable.Range(0, 60).Select(_ => store.Create("arnhem", "report_move")).ToList();

        Assert.Equal(50, made.Count(s => s is not null));
        Assert.NotNull(store.Create("utrecht", "report_move"));

        store.Remove(made[0]!);
        Assert.NotNull(store.Create("arnhem", "report_move"));
        Assert.Null(store.Create("arnhem", "report_move"));
    }

    [Fact]
    public void Parallel_starts_cannot_overfill_a_tenants_room()
    {
        var store = new CommSessionStore(Options.Create(new IdContactOptions()), TimeProvider.System, maxPerTenant: 100);
        var made = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (store.Create("arnhem", "report_move") is not null)
            {
                Interlocked.Increment(ref made);
            }
        });

        Assert.Equal(100, made);
    }

    [Fact]
    public void Finished_irma_sessions_stay_within_the_cap_per_tenant_and_the_newest_claims_hold()
    {
        var finished = new FinishedSessions(TimeProvider.System, maxPerTenant: 100);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(finished.TryClaim("arnhem", "irma-" + i));
        }

        Assert.True(finished.Count("arnhem") <= 100);
        Assert.False(finished.TryClaim("arnhem", "irma-999"), "a recent claim is still remembered");
        Assert.True(finished.TryClaim("utrecht", "irma-999"), "tenants have rooms of their own");
    }
}
