using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>
/// Connects to every hub (found by its route, not by name) with a live and a hostile query, and calls each of the hub
/// class's methods with no, wrong, null, hostile and oversized arguments. A refusal is a HubException or a closed
/// connection; what the server must not do is throw (an "unhandled" error in its log) or leave a call unanswered.
/// </summary>
public sealed class HubSweeper(string baseUrl, Func<string, string, string?> realValue)
{
    /// <summary>The query names the hubs read: the chat's capability, the video link and the agent's video session.</summary>
    private static readonly (string Name, string Parameter)[] HubQuery = [("c", "capability"), ("l", "token"), ("s", "sessionId")];

    public ConcurrentQueue<string> Findings { get; } = new();

    /// <summary>How each hub answered, per connection kind and outcome: printed with the test's output.</summary>
    public ConcurrentDictionary<string, int> Outcomes { get; } = new();

    public int Calls => _calls;

    private int _calls;

    public async Task SweepAsync(SweepCaller caller, IEnumerable<SweptEndpoint> endpoints, CancellationToken ct)
    {
        foreach (var hub in endpoints.Where(e => e.HubType is not null && !e.Route.EndsWith("/negotiate", StringComparison.Ordinal)))
        {
            var path = hub.Path(p => p.Name == "tenant" ? Sweeper.TenantA : "x");
            var live = string.Join("&", HubQuery.Select(q => $"{q.Name}={Uri.EscapeDataString(realValue(hub.Route, q.Parameter) ?? "")}"));
            var hostile = string.Join("&", HubQuery.Select(q => $"{q.Name}={Uri.EscapeDataString(HostileInput.Script)}"));
            var nul = string.Join("&", HubQuery.Select(q => $"{q.Name}={Uri.EscapeDataString((realValue(hub.Route, q.Parameter) ?? "") + HostileInput.Nul)}"));
            foreach (var (name, query) in new[] { ("live", live), ("hostile", hostile), ("nul", nul) })
            {
                await CallEveryMethodAsync(caller, hub, $"{baseUrl}{path}?{query}", $"{caller.Name} hub {hub.Route} [{name}]", ct);
            }
        }
    }

    private async Task CallEveryMethodAsync(SweepCaller caller, SweptEndpoint hub, string url, string where, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder().WithUrl(url, o => o.Cookies = caller.Cookies).Build();
        await using var connectionDisposal = connection.DisposedBounded();
        try
        {
            await connection.StartAsync(ct);
        }
        catch (HttpRequestException)
        {
            // Refused at negotiation (401 without a sign-in, 403 for a role): the HTTP sweep checks those answers.
            Count(where, "refused at negotiation");
            return;
        }

        foreach (var method in Methods(hub.HubType!))
        {
            foreach (var (name, args) in Arguments(method))
            {
                if (connection.State != HubConnectionState.Connected)
                {
                    Count(where, "closed by the hub");
                    return; // The hub closed a connection it does not accept: a refusal, not a failure.
                }

                Interlocked.Increment(ref _calls);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    await connection.InvokeCoreAsync(method.Name, typeof(object), args, timeout.Token);
                    Count(where, "answered");
                }
                catch (HubException)
                {
                    Count(where, "refused the call"); // and said so
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    // Our own 15 s ran out. A hub that closes the connection (as the video hub does on a bad link, right
                    // after accepting it) also cancels the call, and the state may still read Connected for a moment.
                    Findings.Enqueue($"{where} {method.Name}({name}) → no answer in 15 s");
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
                {
                    // The connection was closed meanwhile: the hub's refusal of this caller.
                }
            }
        }
    }

    private void Count(string where, string outcome) => Outcomes.AddOrUpdate($"{where} {outcome}", 1, (_, n) => n + 1);

    /// <summary>The methods a client may call: public instance methods the hub class declares itself.</summary>
    private static IEnumerable<MethodInfo> Methods(Type hub) =>
        hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync) or "Dispose"))
            .OrderBy(m => m.Name, StringComparer.Ordinal);

    private static IEnumerable<(string Name, object?[] Args)> Arguments(MethodInfo method)
    {
        var parameters = method.GetParameters();
        yield return ("none", []);
        yield return ("one-too-many", [.. parameters.Select(p => Hostile(p.ParameterType)), "extra"]);
        yield return ("nulls", [.. parameters.Select(_ => (object?)null)]);
        yield return ("hostile", [.. parameters.Select(p => Hostile(p.ParameterType))]);
        yield return ("nul", [.. parameters.Select(p => p.ParameterType == typeof(string) ? HostileInput.Nul : Hostile(p.ParameterType))]);
        yield return ("wrong-types", [.. parameters.Select(_ => (object?)new Dictionary<string, object> { ["x"] = new[] { 1, 2 } })]);
        // Together under SignalR's 32 KB message limit (beyond it SignalR closes the connection itself), far over anything a page sends.
        yield return ("long", [.. parameters.Select(p => p.ParameterType == typeof(string) ? new string('a', 8_000) : Hostile(p.ParameterType))]);
    }

    private static object? Hostile(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => HostileInput.Script,
        var t when t == typeof(long) => long.MinValue,
        var t when t == typeof(int) => -1,
        var t when t == typeof(bool) => true,
        _ => null,
    };
}
