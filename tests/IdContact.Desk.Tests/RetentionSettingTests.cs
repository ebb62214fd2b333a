using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Retention;
using IdContact.Desk.Tenants;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>M3: how long a resident's data is kept after the last activity is the operator's setting, not a fixed hour.</summary>
public sealed class RetentionSettingTests
{
    [Fact]
    public async Task A_session_is_deleted_after_the_configured_minutes_without_activity()
    {
        await using var server = await RunningServer.StartAsync("--Desk:RetentionMinutes", "5");
        var start = await server.Client.PostAsJsonAsync("/arnhem/phone/start_communication", new { purpose = "report_move" });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attr_url").GetString()!.Split('/').Last();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(4));
        var retention = ActivatorUtilities.CreateInstance<RetentionService>(server.App.Services, (TimeProvider)clock);

        await retention.SweepAsync(CancellationToken.None);
        Assert.True(await ExistsAsync(server, id), "kept within the 5 minutes");

        clock.Advance(TimeSpan.FromMinutes(2));
        await retention.SweepAsync(CancellationToken.None);
        Assert.False(await ExistsAsync(server, id), "deleted after 5 minutes, long before the default hour");
    }

    private static async Task<bool> ExistsAsync(RunningServer server, string id)
    {
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open("arnhem");
        return await db.Sessions.AnyAsync(s => s.Id == id);
    }
}
