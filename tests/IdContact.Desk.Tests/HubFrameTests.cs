using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Desk.Tests;

/// <summary>
/// A client that speaks SignalR's wire format itself (round 6): a call sent in the handshake's own frame, before the hub
/// has checked the door, and frames no page sends. Each is refused on its own connection only, with nothing in the log.
/// </summary>
public abstract class HubFrameTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const string Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e";

    /// <summary>
    /// The residents' hubs close a connection without a live chat or link in OnConnectedAsync, before they know whose it
    /// is; a call already waiting behind the handshake would then run without a chat (and throw, in the log).
    /// </summary>
    [Theory]
    [InlineData("/chat/hub?c=made-up", "Send", "[\"client-1\",\"Goedendag\"]")]
    [InlineData("/chat/hub?c=made-up", "Lines", "[0]")]
    [InlineData("/chat/hub?c=made-up", "Typing", "[]")]
    [InlineData("/chat/hub?c=made-up", "Status", "[]")]
    [InlineData("/chat/hub?c=made-up", "IdentifyMethods", "[]")]
    [InlineData("/video/hub?l=made-up", "StillHere", "[]")]
    [InlineData("/video/hub?l=made-up", "Ready", "[]")]
    [InlineData("/video/hub?l=made-up", "Signal", "[\"offer\",\"v=0\"]")]
    [InlineData("/video/hub?l=made-up", "Media", "[true,false]")]
    [InlineData("/video/hub?l=made-up", "HangUp", "[]")]
    public async Task A_call_sent_with_the_handshake_to_a_hub_that_refuses_the_door_never_runs(string hub, string method, string arguments)
    {
        var answer = await ExchangeAsync(hub, Handshake + Invocation(method, arguments));

        Assert.DoesNotContain("\"type\":3", answer, StringComparison.Ordinal); // no completion: the call never ran
        Assert.Contains("\"type\":7", answer, StringComparison.Ordinal); // closed
        AssertNothingLogged();
    }

    /// <summary>Garbage, another protocol, a 1 MB message, 5,000-deep JSON, frames of the wrong kind: that connection only.</summary>
    [Fact]
    public async Task Frames_no_page_sends_close_or_are_refused_on_their_own_connection_and_a_neighbours_chat_goes_on()
    {
        var (neighbourUrl, _) = await desk.StartChatAsync(desk.TenantA);
        var neighbour = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={neighbourUrl.Split('/').Last()}").Build();
        await using var neighbourDisposal = neighbour.DisposedBounded();
        await neighbour.StartAsync();
        var (clientUrl, _) = await desk.StartChatAsync(desk.TenantA);
        var hub = "/chat/hub?c=" + clientUrl.Split('/').Last();

        foreach (var frame in new[]
        {
            "hello\u001e",
            "{\"protocol\":\"messagepack\",\"version\":1}\u001e",
            Handshake + Invocation("Send", "[\"client-1\",\"" + new string('x', 1024 * 1024) + "\"]"),
            Handshake + Invocation("Send", "[\"client-1\"," + new string('[', 5000) + new string(']', 5000) + "]"),
            Handshake + Invocation("Send", "[\"client-1\"]"),
            Handshake + Invocation("Lines", "[{\"after\":1}]"),
            Handshake + "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Lines\",\"arguments\":[0]}\u001e",
            Handshake + "{\"type\":3,\"invocationId\":\"99\",\"result\":1}\u001e",
            Handshake + "{\"type\":1,\"invocationId\":\"1\",\"target\":null,\"arguments\":[]}\u001e",
            Handshake + "\u0001\u0002\u0003\u001e",
        })
        {
            await ExchangeAsync(hub, frame);
        }

        Assert.Equal(HubConnectionState.Connected, neighbour.State);
        Assert.NotNull(await neighbour.InvokeAsync<object?>("Status"));
        AssertNothingLogged();
    }

    /// <summary>The long-polling transport's posts: a 5 MB body and garbage after the handshake are that connection's end, never a 5xx.</summary>
    [Fact]
    public async Task A_long_polling_post_too_large_or_garbage_is_refused_without_a_5xx()
    {
        var (clientUrl, _) = await desk.StartChatAsync(desk.TenantA);
        var hub = $"/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}";
        foreach (var body in new[] { Handshake + new string('x', 5 * 1024 * 1024), Handshake + "\u0001garbage\u001e", "{\"protocol\":\"xml\",\"version\":1}\u001e" })
        {
            var negotiated = await desk.Server.Client.PostAsync($"{hub}&negotiateVersion=1".Replace("/hub?", "/hub/negotiate?", StringComparison.Ordinal), null);
            Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
            var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
            try
            {
                var posted = await desk.Server.Client.PostAsync($"{hub}&id={token}", new StringContent(body));
                Assert.True((int)posted.StatusCode < 500, $"{posted.StatusCode}");
            }
            catch (HttpRequestException e) when (e.InnerException is IOException)
            {
                // The server closed the connection under the upload: refused (as the bad-input sweep counts it).
            }

            var polled = await desk.Server.Client.GetAsync($"{hub}&id={token}");
            Assert.True((int)polled.StatusCode < 500, $"{polled.StatusCode}");
        }

        AssertNothingLogged();
    }

    private static string Invocation(string method, string arguments) =>
        $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"{method}\",\"arguments\":{arguments}}}\u001e";

    /// <summary>Sends <paramref name="frame"/> as one WebSocket message (no negotiation) and reads until the server closes or 3 s pass.</summary>
    private async Task<string> ExchangeAsync(string hub, string frame)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{desk.Server.BaseUrl.Replace("http", "ws", StringComparison.Ordinal)}/{desk.TenantA}{hub}"), CancellationToken.None);
        var received = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, quiet.Token);
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, quiet.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Left open without an answer (a frame SignalR ignores), or cut off: neither is a call that ran.
        }

        return received.ToString();
    }

    private void AssertNothingLogged() => Assert.DoesNotContain(desk.Logs.Messages, m =>
        m.Contains("Failed to invoke hub method", StringComparison.Ordinal) || m.Contains("Exception", StringComparison.Ordinal) && m.Contains("SignalR", StringComparison.Ordinal));
}

public sealed class SqliteHubFrameTests(SqliteDeskServer desk) : HubFrameTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresHubFrameTests(PostgresDeskServer desk) : HubFrameTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
