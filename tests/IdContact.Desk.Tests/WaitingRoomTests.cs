using IdContact.Desk.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>The waiting room's lease as each database stores it (VideoSignallingTests drives it through the hub).</summary>
public abstract class WaitingRoomTests<TServer>(TServer desk) where TServer : DeskServer
{
    [Fact]
    public async Task A_closed_page_clears_its_own_lease_but_not_a_later_renewal_by_another_page()
    {
        var agent = "wait-" + Guid.NewGuid().ToString("N")[..8];
        await DeskAgent.CreateAsync(desk.Databases, desk.TenantA, agent);
        var agentId = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, agent))!.Id;
        var session = (await desk.Appointments(TimeProvider.System)
            .PlanAsync(desk.TenantA, "report_move", "video@example.nl", DateTimeOffset.UtcNow.AddMinutes(5), agentId, CancellationToken.None)).Appointment.SessionId;
        // Ticks below a microsecond, as the system clock gives them: the lease is compared exactly (UTC ticks on both databases).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddTicks(7));
        var room = ActivatorUtilities.CreateInstance<WaitingRoom>(desk.Server.App.Services, (TimeProvider)clock);

        var first = (await room.SeenAsync(desk.TenantA, session, TimeSpan.Zero, CancellationToken.None))!.Value;
        await room.LeftAsync(desk.TenantA, session, first);
        Assert.Null(await SeenAtAsync(session));

        first = (await room.SeenAsync(desk.TenantA, session, TimeSpan.Zero, CancellationToken.None))!.Value;
        clock.Advance(TimeSpan.FromSeconds(3));
        var second = (await room.SeenAsync(desk.TenantA, session, TimeSpan.Zero, CancellationToken.None))!.Value;
        await room.LeftAsync(desk.TenantA, session, first);
        Assert.NotNull(await SeenAtAsync(session));
        await room.LeftAsync(desk.TenantA, session, second);
        Assert.Null(await SeenAtAsync(session));
    }

    private async Task<DateTimeOffset?> SeenAtAsync(string session)
    {
        await using var db = desk.Databases.Open(desk.TenantA);
        return await db.Sessions.Where(s => s.Id == session).Select(s => s.ResidentSeenAt).SingleAsync();
    }
}

public sealed class SqliteWaitingRoomTests(SqliteDeskServer desk) : WaitingRoomTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresWaitingRoomTests(PostgresDeskServer desk) : WaitingRoomTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
