using System.Net;
using System.Net.Sockets;

namespace IdContact.Roles.Tests;

/// <summary>Forwards loopback connections to a service (PostgreSQL, Redis); Stop refuses new ones and cuts the open ones: a real outage.</summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private TcpListener _listener;
    private CancellationTokenSource _running = new();

    private TcpRelay(string host, int targetPort)
    {
        _host = host;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _running.Token);
    }

    public int Port { get; }

    public static TcpRelay Start(string host, int port) => new(host, port);

    public void Stop()
    {
        _running.Cancel();
        _listener.Stop();
        lock (_open)
        {
            _open.ForEach(c => c.Dispose());
            _open.Clear();
        }
    }

    public void Resume()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _running.Token);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(_host, _targetPort, ct);
                lock (_open)
                {
                    _open.Add(client);
                    _open.Add(upstream);
                }

                _ = PipeAsync(client, upstream, ct);
                _ = PipeAsync(upstream, client, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), ct);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // One side went away.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
