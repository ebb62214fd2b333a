using System.Net;
using System.Text;
using System.Text.Json;

namespace IdContact.Desk.Tests;

/// <summary>
/// A long-polling SignalR connection spoken by hand (negotiate, first poll, handshake), so a test can send its polls and
/// sends to other paths, without the cookie, or by the connection's id instead of its token.
/// </summary>
public sealed class RawLongPoll(HttpClient client, string hub, string connectionId, string token)
{
    public const char Separator = '\u001e';

    public string Hub => hub;

    /// <summary>What the hub's callers see (Context.ConnectionId); with negotiateVersion=1 not the token the requests name.</summary>
    public string ConnectionId => connectionId;

    public string Token => token;

    /// <summary>Negotiates at <paramref name="hub"/> (path and query, e.g. <c>/t/chat/hub?c=…</c>); null when refused.</summary>
    public static async Task<RawLongPoll?> NegotiateAsync(HttpClient client, string hub)
    {
        var (path, query) = Split(hub);
        using var response = await client.PostAsync($"{path}/negotiate?negotiateVersion=1{(query.Length > 0 ? "&" + query : "")}", null);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new RawLongPoll(client, hub, json.RootElement.GetProperty("connectionId").GetString()!, json.RootElement.GetProperty("connectionToken").GetString()!);
    }

    /// <summary>Negotiates, makes the first poll (which opens the connection) and the JSON handshake.</summary>
    public static async Task<RawLongPoll> OpenAsync(HttpClient client, string hub)
    {
        var poll = (await NegotiateAsync(client, hub))!;
        Assert.Equal(HttpStatusCode.OK, (await poll.PollAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await poll.SendAsync("""{"protocol":"json","version":1}""")).StatusCode);
        using var handshake = await poll.PollAsync();
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.StartsWith("{}", await handshake.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return poll;
    }

    /// <summary>A poll; by default at the hub it was opened at, with the token.</summary>
    public Task<HttpResponseMessage> PollAsync(HttpClient? by = null, string? at = null, string? id = null) =>
        (by ?? client).GetAsync(Url(at, id));

    /// <summary>Sends one SignalR message (the record separator is added).</summary>
    public Task<HttpResponseMessage> SendAsync(string message, HttpClient? by = null, string? at = null, string? id = null) =>
        (by ?? client).PostAsync(Url(at, id), new StringContent(message + Separator, Encoding.UTF8, "text/plain"));

    /// <summary>An invocation of <paramref name="target"/> with JSON arguments, expecting a completion.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string invocationId, string target, string arguments, HttpClient? by = null, string? at = null) =>
        SendAsync($$"""{"type":1,"invocationId":"{{invocationId}}","target":"{{target}}","arguments":[{{arguments}}]}""", by, at);

    /// <summary>Ends the connection as the client does.</summary>
    public Task<HttpResponseMessage> DeleteAsync() => client.DeleteAsync(Url(null, null));

    private string Url(string? at, string? id)
    {
        var (path, query) = Split(at ?? hub);
        return $"{path}?id={Uri.EscapeDataString(id ?? token)}{(query.Length > 0 ? "&" + query : "")}";
    }

    private static (string Path, string Query) Split(string hub) =>
        hub.Split('?', 2) is [var path, var query] ? (path, query) : (hub, "");
}
