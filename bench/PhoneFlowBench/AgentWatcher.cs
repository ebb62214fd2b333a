using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Bench;

/// <summary>
/// Plays one agent's open overview page: connected to the desk's agents' hub as the signed-in agent, and on every
/// "contactsChanged" push it fetches the list (page 1) again, at most one fetch at a time, as overview.js does.
/// A flow asks when its session first showed in a fetched list.
/// </summary>
public sealed partial class AgentWatcher : IAsyncDisposable
{
    private readonly BenchServer _server;
    private readonly HubConnection _hub;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new();
    private readonly object _gate = new();
    private Task? _running;
    private bool _again;

    private AgentWatcher(BenchServer server)
    {
        _server = server;
        _hub = new HubConnectionBuilder()
            .WithUrl($"{server.BaseUrl}/{server.Tenant}/desk/hub", o => o.Cookies = server.AgentCookies)
            .Build();
        _hub.On(Desk.Agents.ContactsHub.ChangedMessage, Refresh);
        _hub.Closed += e =>
        {
            // No reconnect (overview.js reconnects): a closed hub means no more pushes, so say so.
            LastFailure = "the hub connection closed: " + (e?.Message ?? "by the server");
            Interlocked.Increment(ref Failures);
            return Task.CompletedTask;
        };
    }

    /// <summary>Time of each list fetch (ms), in order: what an agent's page waits for after a push.</summary>
    public ConcurrentQueue<double> FetchTimes { get; } = [];

    /// <summary>Failed list fetches and a closed hub (and the last reason): the agent's page would have shown nothing new.</summary>
    public int Failures;

    public string? LastFailure { get; private set; }

    public int Pushes;

    /// <summary>Fetches of page 2 and beyond (the list was full and calls were still unseen): a sign of overload.</summary>
    public int DeeperFetches;

    private const int MaxPages = 5;

    /// <summary>Counts pushes from here on (after a warm-up pass); failures keep counting.</summary>
    public void ResetCounts()
    {
        Interlocked.Exchange(ref Pushes, 0);
        Interlocked.Exchange(ref DeeperFetches, 0);
    }

    public static async Task<AgentWatcher> ConnectAsync(BenchServer server)
    {
        var watcher = new AgentWatcher(server);
        await watcher._hub.StartAsync();
        return watcher;
    }

    /// <summary>Completes with the timestamp of the first fetched list that shows the session.</summary>
    public Task<long> ShownAsync(string sessionId) =>
        _waiting.GetOrAdd(sessionId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(string sessionId) => _waiting.TryRemove(sessionId, out _);

    private void Refresh()
    {
        Interlocked.Increment(ref Pushes);
        lock (_gate)
        {
            if (_running is not null)
            {
                _again = true;
                return;
            }

            _running = LoopAsync();
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await LoadAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The next push fetches again; counted, so a run whose agent stopped seeing calls says why.
                Interlocked.Increment(ref Failures);
                LastFailure = e.Message;
            }

            lock (_gate)
            {
                if (!_again)
                {
                    _running = null;
                    return;
                }

                _again = false;
            }
        }
    }

    private async Task LoadAsync()
    {
        for (var page = 1; page <= MaxPages; page++)
        {
            var start = Stopwatch.GetTimestamp();
            var html = await _server.Agent.GetStringAsync($"/{_server.Tenant}/desk/contacts?page={page}");
            var end = Stopwatch.GetTimestamp();
            if (page == 1)
            {
                FetchTimes.Enqueue(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref DeeperFetches);
            }

            var rows = 0;
            foreach (Match m in SessionAttribute().Matches(html))
            {
                rows++;
                if (_waiting.TryRemove(m.Groups[1].Value, out var shown))
                {
                    shown.TrySetResult(end);
                }
            }

            // A full page with calls still unseen: under overload more than a page of calls is live at once, and an
            // agent would page on; reading page 1 only left the older ones unseen until the flow timed out.
            if (rows < Desk.Agents.ContactsQuery.PageSize || _waiting.IsEmpty)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [GeneratedRegex("data-session=\"([^\"]+)\"")]
    private static partial Regex SessionAttribute();
}
