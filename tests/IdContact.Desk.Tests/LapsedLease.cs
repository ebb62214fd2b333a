using IdContact.Desk.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>
/// An agent who chose to take chats earlier, but whose pages renewed no lease for an hour: what a watching page
/// (Bezetting, Afspraken) must leave as it is.
/// </summary>
public static class LapsedLease
{
    public static async Task SetAsync(DeskServer desk, string tenant, string agentId)
    {
        await Chats(desk).SetAvailableAsync(tenant, agentId, true, CancellationToken.None);
        var lastSeen = DateTimeOffset.UtcNow.AddHours(-1);
        await using var db = desk.Databases.Open(tenant);
        await db.AgentPresence.Where(p => p.AgentId == agentId).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSeen, lastSeen));
    }

    /// <summary>Still lapsed: not available for chats, and not seen for half an hour or more.</summary>
    public static async Task AssertNotRenewedAsync(DeskServer desk, string tenant, string agentId)
    {
        Assert.False(await Chats(desk).IsAvailableAsync(tenant, agentId, CancellationToken.None));
        await using var check = desk.Databases.Open(tenant);
        var seen = await check.AgentPresence.Where(p => p.AgentId == agentId).Select(p => p.LastSeen).SingleAsync();
        Assert.True(seen < DateTimeOffset.UtcNow.AddMinutes(-30), $"the lease was renewed: {seen}");
    }

    /// <summary>Leaves the agent away, as before the test.</summary>
    public static Task ClearAsync(DeskServer desk, string tenant, string agentId) =>
        Chats(desk).SetAvailableAsync(tenant, agentId, false, CancellationToken.None);

    private static ChatStore Chats(DeskServer desk) => desk.Server.App.Services.GetRequiredService<ChatStore>();
}
