using System.Net;
using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Desk.Tests;

/// <summary>
/// A NUL character (U+0000) in an id, a query value or a hub argument: PostgreSQL refuses it in any text parameter
/// (22021), so each of these was a 500 or a hub error there (found by the bad-input sweep on PostgreSQL). It is refused
/// where it enters, alike on both providers.
/// </summary>
public abstract class NulInputTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const string Nul = "sweep\0nul";

    [Theory]
    [InlineData("identify")]
    [InlineData("ended")]
    public async Task A_call_id_with_a_NUL_at_the_exchange_is_a_400_problem(string action)
    {
        var (status, body) = await desk.ExchangeAsync(desk.TenantA, action, new { code = "123456", call_id = Nul, caller = "+31612340000" }, DeskServer.KeyA);

        Assert.Equal(400, status);
        Assert.Equal("Invalid request", body.GetProperty("title").GetString());
        AssertNoDatabaseError();
    }

    [Fact]
    public async Task A_NUL_in_a_query_value_is_a_400_problem_on_pages_and_at_a_hubs_door()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "nul-query", null);

        // The appointments page looked the linked call up (?call=), the agent's video hub its session (?s=) on connecting.
        var page = await agent.GetAsync("/desk/appointments/?call=" + Uri.EscapeDataString(Nul));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);

        var hub = new HubConnectionBuilder()
            .WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/video/hub?s={Uri.EscapeDataString(Nul)}", o => o.Cookies = agent.CookieJar).Build();
        await using var hubDisposal = hub.DisposedBounded();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        AssertNoDatabaseError();
    }

    [Fact]
    public async Task A_hub_call_with_a_NUL_in_an_argument_finds_nothing_and_does_nothing()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, desk.TenantA, "nul-hub", null);
        var holder = (await DeskAgent.FindAsync(desk.Databases, desk.TenantA, "nul-hub"))!;
        var (_, chat) = await desk.ChatTakenByAsync(desk.TenantA, holder);
        var hub = new HubConnectionBuilder()
            .WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/desk/chat/hub", o => o.Cookies = agent.CookieJar).Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();

        // The agent's own chat, so only the NUL stands between these calls and the chat.
        Assert.Null(await hub.InvokeAsync<object?>("Lines", chat + Nul, 0L));
        Assert.Null(await hub.InvokeAsync<object?>("Send", chat + Nul, "client-nul-1", "Goedendag"));
        Assert.Null(await hub.InvokeAsync<object?>("Send", chat, "client-nul-2", "Goeden" + Nul));
        await hub.InvokeAsync("Typing", chat + Nul);

        var lines = await hub.InvokeAsync<List<JsonElement>>("Lines", chat, 0L);
        Assert.DoesNotContain(lines, l => l.GetProperty("text").GetString()!.StartsWith("Goeden", StringComparison.Ordinal));
        AssertNoDatabaseError();
    }

    /// <summary>Neither PostgreSQL's refusal nor a hub method's failure reached the log.</summary>
    private void AssertNoDatabaseError() =>
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains("0x00", StringComparison.Ordinal) || m.Contains("Failed to invoke hub method", StringComparison.Ordinal));
}

public sealed class SqliteNulInputTests(SqliteDeskServer desk) : NulInputTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresNulInputTests(PostgresDeskServer desk) : NulInputTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
