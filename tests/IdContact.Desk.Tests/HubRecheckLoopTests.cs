using IdContact.Desk.Admin;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>A desk whose periodic hub re-check runs every second (the others' waits 300 s and is called by the tests).</summary>
public sealed class RecheckingDeskServer : DeskServer
{
    protected override string Provider => "Sqlite";

    protected override int HubRecheckSeconds => 1;
}

/// <summary>The re-check's hosted loop itself (AgentHubConnections.ExecuteAsync), not a call of the re-check.</summary>
public sealed class HubRecheckLoopTests(RecheckingDeskServer desk) : IClassFixture<RecheckingDeskServer>
{
    [Fact]
    public async Task The_periodic_recheck_closes_a_listening_connection_of_an_account_revoked_elsewhere()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "loop-revoked", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, desk.TenantA, "loop-colleague", null);
        var revoked = await ConnectAsync(desk, agent, "/desk/hub");
        await using var revokedDisposal = revoked.DisposedBounded();
        var colleagues = await ConnectAsync(desk, colleague, "/desk/hub");
        await using var colleaguesDisposal = colleagues.DisposedBounded();
        Assert.True(await RenewsAsync(revoked));
        Assert.True(await RenewsAsync(colleagues));

        // Changed in the database as another instance would; no call follows, and nothing on this instance is told.
        var closed = ClosedAsync(revoked);
        await using (var identity = new OfflineIdentity(desk.Databases, desk.TenantA))
        {
            await identity.Users.UpdateSecurityStampAsync((await identity.Users.FindByNameAsync("loop-revoked"))!);
        }

        // A generous wait on a loaded machine; the loop ticks every second.
        await closed.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(HubConnectionState.Connected, colleagues.State);
        Assert.True(await RenewsAsync(colleagues));
    }
}
