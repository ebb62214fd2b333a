using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace IdContact.Bench.Chat;

/// <summary>What all connections of a run measured.</summary>
public sealed class RunFigures
{
    /// <summary>From the send to the line's push back, in milliseconds.</summary>
    public ConcurrentBag<double> Pushed { get; } = new();

    /// <summary>From the send to the time the server stored the line (its server time), in milliseconds.</summary>
    public ConcurrentBag<double> Stored { get; } = new();

    /// <summary>The error of every send the server answered with a failure.</summary>
    public ConcurrentBag<string> Failures { get; } = new();

    /// <summary>Forgets the warm-up's figures.</summary>
    public void Clear()
    {
        Pushed.Clear();
        Stored.Clear();
        Failures.Clear();
    }
}

/// <summary>
/// One resident's chat connection, speaking SignalR's JSON hub protocol over a raw WebSocket (no negotiation), as the
/// browser client does. Times each message from the Send invocation to the server's "line" push of it.
/// </summary>
public sealed class ResidentSocket : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, long> _sentAt = new();
    private readonly RunFigures _figures;
    private Task? _reader;

    private ResidentSocket(RunFigures figures) => _figures = figures;

    public static async Task<ResidentSocket> ConnectAsync(string hubUrl, RunFigures figures, CancellationToken ct)
    {
        var resident = new ResidentSocket(figures);
        await resident._socket.ConnectAsync(new Uri(hubUrl.Replace("http", "ws", StringComparison.Ordinal)), ct);
        await resident.WriteAsync("{\"protocol\":\"json\",\"version\":1}", ct);
        resident._reader = resident.ReadAsync(ct);
        return resident;
    }

    public int Received;

    /// <summary>Why the server closed this connection before the run ended (null while it is open).</summary>
    public string? ClosedByServer { get; private set; }

    private volatile bool _disposing;

    public Task SendAsync(string clientId, string text, CancellationToken ct)
    {
        _sentAt[clientId] = Stopwatch.GetTimestamp();
        // With an invocation id, as the page's invoke() does: a failed send comes back as an error completion.
        var invocation = JsonSerializer.Serialize(new { type = 1, invocationId = clientId, target = "Send", arguments = new object[] { clientId, text } });
        return WriteAsync(invocation, ct);
    }

    private async Task WriteAsync(string message, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(message + Separator);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        try
        {
            while (_socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByServer = _disposing ? null : $"close frame {result.CloseStatus} {result.CloseStatusDescription}";
                    return;
                }

                pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                var text = pending.ToString();
                var last = text.LastIndexOf(Separator);
                if (last < 0)
                {
                    continue;
                }

                foreach (var frame in text[..last].Split(Separator, StringSplitOptions.RemoveEmptyEntries))
                {
                    Handle(frame);
                }

                pending.Clear().Append(text[(last + 1)..]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            ClosedByServer = _disposing ? null : e.Message;
        }
    }

    private void Handle(string frame)
    {
        using var json = JsonDocument.Parse(frame);
        if (json.RootElement.TryGetProperty("type", out var type) && type.GetInt32() == 7)
        {
            ClosedByServer = "close message " + frame;
        }

        if (json.RootElement.TryGetProperty("error", out var error) && json.RootElement.TryGetProperty("invocationId", out var failed))
        {
            _sentAt.TryRemove(failed.GetString()!, out _);
            _figures.Failures.Add(error.GetString() ?? "");
            return;
        }

        if (!json.RootElement.TryGetProperty("target", out var target) || target.GetString() != "line")
        {
            return;
        }

        var clientId = json.RootElement.GetProperty("arguments")[0].GetProperty("clientId").GetString()!;
        if (_sentAt.TryRemove(clientId, out var at))
        {
            // The server runs in this process, so its clock is ours: how long the store took, apart from the push.
            var storedAt = json.RootElement.GetProperty("arguments")[0].GetProperty("at").GetDateTimeOffset();
            _figures.Stored.Add((storedAt - (DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(at))).TotalMilliseconds);
            _figures.Pushed.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            Interlocked.Increment(ref Received);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
    }
}
