using System.Net;
using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using static IdContact.Desk.Tests.AgentHubs;

namespace IdContact.Desk.Tests;

/// <summary>Signing out ends the account's session on the server: every cookie of it and its open hub connections.</summary>
public abstract class SignOutTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private string Tenant => desk.TenantA;

    [Fact]
    public async Task A_cookie_copied_before_the_sign_out_is_refused_at_once_and_so_is_the_agents_other_device()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "out-copy", null);
        using var otherDevice = await DeskAgent.SignedInAsync(desk, Tenant, "out-copy", null);
        // The copy malware or a proxy log took: the same cookie, in another client, within the stamp check's minute.
        using var copy = DeskAgent.For(desk, Tenant);
        copy.SetDeskCookie("idcontact.desk", agent.Cookies.Single(c => c.Name == "idcontact.desk").Value);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/desk")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherDevice.GetAsync("/desk")).StatusCode);

        var signedOut = await agent.PostAsync("/desk", "/desk/logout");
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal($"/{Tenant}/desk/login?signedout=all", signedOut.Headers.Location?.OriginalString);
        // The browser that signed out keeps its device cookie's standing (bound to the stamp, so issued anew).
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("idcontact.device.", StringComparison.Ordinal));

        foreach (var other in new[] { copy, otherDevice })
        {
            var refused = await other.GetAsync("/desk");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith($"/{Tenant}/desk/login", refused.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/desk/contacts")).StatusCode);
        }

        // Signing out with a session that already ended still lands on the sign-in page; signing in again works.
        var again = await copy.Client.PostAsync($"/{Tenant}/desk/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal($"/{Tenant}/desk/login", again.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.SeeOther, (await otherDevice.SignInAsync("out-copy")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherDevice.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_says_every_device_was_signed_out_and_the_other_device_hears_its_session_ended()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "out-told", null);
        using var otherDevice = await DeskAgent.SignedInAsync(desk, Tenant, "out-told", null);
        var signedOut = await agent.PostAsync("/desk", "/desk/logout");
        var here = await agent.ReadAsync(signedOut.Headers.Location!.OriginalString[$"/{Tenant}".Length..]);
        Assert.Contains("<p class=\"notice\" role=\"status\" id=\"login-notice\">U bent uitgelogd. Op andere apparaten bent u ook uitgelogd.</p>", here, StringComparison.Ordinal);
        var english = await agent.ReadAsync("/desk/login?signedout=all&lang=en");
        Assert.Contains("You have signed out. You have been signed out on other devices as well.", english, StringComparison.Ordinal);

        // The other device, whose cookie the sign-out ended, is sent to a sign-in page that says so.
        var refused = await otherDevice.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var location = refused.Headers.Location!.OriginalString;
        Assert.EndsWith("&ended=1", location, StringComparison.Ordinal);
        Assert.Contains("Uw sessie is beëindigd; log opnieuw in.", await otherDevice.ReadAsync(location[$"/{Tenant}".Length..]), StringComparison.Ordinal);

        // A browser that never had a session, or whose cookie is not this account's, is told nothing of the kind.
        using var stranger = DeskAgent.For(desk, Tenant);
        stranger.SetDeskCookie("idcontact.desk", "not-a-cookie");
        var plain = await stranger.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        Assert.DoesNotContain("ended", plain.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("login-notice", await stranger.ReadAsync(plain.Headers.Location!.OriginalString[$"/{Tenant}".Length..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_closes_the_agents_open_hub_connections_and_the_held_chat_waits_for_them()
    {
        using var agent = await DeskAgent.SignedInAsync(desk, Tenant, "out-hub", null);
        using var colleague = await DeskAgent.SignedInAsync(desk, Tenant, "out-hub-colleague", null);
        var (_, chat) = await desk.ChatTakenByAsync(Tenant, (await DeskAgent.FindAsync(desk.Databases, Tenant, "out-hub"))!);
        var chats = await ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var chatsDisposal = chats.DisposedBounded();
        var overview = await ConnectAsync(desk, agent, "/desk/hub");
        await using var overviewDisposal = overview.DisposedBounded();
        var colleagues = await ConnectAsync(desk, colleague, "/desk/hub");
        await using var colleaguesDisposal = colleagues.DisposedBounded();
        // One call each while signed in; from here on they only listen, as a page left open in another tab.
        Assert.True(await ReadsAsync(chats, chat));
        Assert.True(await RenewsAsync(overview));
        Assert.True(await RenewsAsync(colleagues));

        var closed = new[] { chats, overview }.Select(ClosedAsync).ToList();
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.PostAsync("/desk", "/desk/logout")).StatusCode);

        // Closed by the sign-out itself, not by the periodic re-check (300 s in tests) nor a call.
        await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Connected, colleagues.State);

        // The chat is still the agent's (the hand-back rules decide, as when a cookie expires): signed in again, they read it.
        Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync("out-hub")).StatusCode);
        var chatsAgain = await ConnectAsync(desk, agent, "/desk/chat/hub");
        await using var chatsAgainDisposal = chatsAgain.DisposedBounded();
        Assert.True(await ReadsAsync(chatsAgain, chat));
    }

    /// <summary>Whether the connection still reads the chat's lines (a failure: the connection is gone).</summary>
    private static async Task<bool> ReadsAsync(HubConnection connection, string chat)
    {
        try
        {
            return await connection.InvokeAsync<JsonElement?>("Lines", chat, 0L) is { ValueKind: JsonValueKind.Array };
        }
        catch (Exception)
        {
            return false;
        }
    }
}

public sealed class SqliteSignOutTests(SqliteDeskServer desk) : SignOutTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresSignOutTests(PostgresDeskServer desk) : SignOutTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
