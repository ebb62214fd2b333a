using System.Collections;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using IdContact.Desk;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using IdContact.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Bench;

/// <summary>
/// A long run at a moderate rate (<c>--soak MINUTES</c>): phone flows and chats (start, a few messages, end) side by side,
/// with one agent page connected, and every 30 s what the process holds: working set, GC heap after a full collection,
/// handles, threads, open SignalR connections and the desk's in-memory structures. Measures, asserts nothing: client and
/// server share this process, so its figures include the bench's own small per-run lists.
/// </summary>
public static class Soak
{
    private const int MessagesPerChat = 3;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(BenchServer server, double minutes, double flowsPerSecond, double chatsPerSecond)
    {
        using var meters = new ConnectionMeters();
        var flows = new PhoneFlows(server);
        await using var watcher = await AgentWatcher.ConnectAsync(server);
        using var core = BenchServer.NewClient(server.BaseUrl);
        core.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoConfiguration.DemoPluginKey);
        Console.WriteLine($"soak: {minutes} min, {flowsPerSecond} phone flows/s and {chatsPerSecond} chats/s ({MessagesPerChat} messages each), one agent page, desk on {server.Provider}");

        // Warm first (JIT, pools), so the first sample is the steady state's start, not the cold process.
        await Task.WhenAll(flows.RunAsync((int)(flowsPerSecond * 30), 8, flowsPerSecond, quiet: true), ChatsAsync(server, core, (int)(chatsPerSecond * 30), chatsPerSecond));
        var (totalFlows, totalChats, failedChats) = (0, 0, 0);
        var first = Sample.Take(server.Services, meters);
        Console.WriteLine(Sample.Header);
        Console.WriteLine(first.Line(TimeSpan.Zero, 0, 0));
        var clock = Stopwatch.StartNew();
        var last = first;
        while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            var (flowCount, chatCount) = ((int)(flowsPerSecond * Window.TotalSeconds), (int)(chatsPerSecond * Window.TotalSeconds));
            var phone = flows.RunAsync(flowCount, 8, flowsPerSecond, quiet: true);
            var chats = ChatsAsync(server, core, chatCount, chatsPerSecond);
            await Task.WhenAll(phone, chats);
            totalFlows += flowCount;
            totalChats += chatCount;
            failedChats += chats.Result;
            watcher.ResetCounts();
            while (watcher.FetchTimes.TryDequeue(out _))
            {
            }

            last = Sample.Take(server.Services, meters);
            Console.WriteLine(last.Line(clock.Elapsed, totalFlows, totalChats));
        }

        var perThousand = 1000.0 / Math.Max(1, totalFlows);
        Console.WriteLine($"soak: {totalFlows} phone flows ({flows.FailedFlows} failed) and {totalChats} chats ({failedChats} failed) in {clock.Elapsed.TotalMinutes:F1} min; " +
            $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"soak: growth per 1,000 phone flows (and {totalChats * perThousand:F0} chats) from the first sample to the last: " +
            $"working set {(last.WorkingSetMb - first.WorkingSetMb) * perThousand:+0.00;-0.00} MB, GC heap {(last.HeapMb - first.HeapMb) * perThousand:+0.000;-0.000} MB, " +
            $"handles {(last.Handles - first.Handles) * perThousand:+0.0;-0.0}, threads {(last.Threads - first.Threads) * perThousand:+0.0;-0.0}, " +
            $"desk structures {(last.Structures.Values.Where(v => v > 0).Sum() - first.Structures.Values.Where(v => v > 0).Sum()) * perThousand:+0.0;-0.0} entries");
        return flows.FailedFlows + failedChats;
    }

    /// <summary>Chats at <paramref name="perSecond"/>: start (as the core), resident hub connection, messages, end (the resident's button).</summary>
    private static async Task<int> ChatsAsync(BenchServer server, HttpClient core, int count, double perSecond)
    {
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await OneChatAsync(server, core);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException or TimeoutException or HubException)
                {
                    Interlocked.Increment(ref failures);
                }
            }));
        }

        await Task.WhenAll(tasks);
        return failures;
    }

    private static async Task OneChatAsync(BenchServer server, HttpClient core)
    {
        var start = await core.PostAsJsonAsync($"/{server.Tenant}/chat/start_communication", new { purpose = "report_move" });
        start.EnsureSuccessStatusCode();
        var capability = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!.Split('/').Last();
        await using var hub = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{server.Tenant}/chat/hub?c={capability}").Build();
        await hub.StartAsync();
        for (var m = 0; m < MessagesPerChat; m++)
        {
            var sent = await hub.InvokeAsync<JsonElement>("Send", Guid.NewGuid().ToString("N"), "Bericht " + m);
            if (sent.GetProperty("line").ValueKind == JsonValueKind.Null)
            {
                throw new InvalidOperationException("a chat message was refused");
            }
        }

        (await core.PostAsync($"/{server.Tenant}/chat/c/{capability}/end", null)).EnsureSuccessStatusCode();
        await hub.StopAsync();
    }

    /// <summary>Open SignalR connections and Kestrel connections, from the framework's own meters.</summary>
    private sealed class ConnectionMeters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _signalR;
        private long _kestrel;

        public ConnectionMeters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "signalr.server.active_connections" or "kestrel.active_connections")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == "kestrel.active_connections")
                {
                    Interlocked.Add(ref _kestrel, value);
                }
                else
                {
                    Interlocked.Add(ref _signalR, value);
                }
            });
            _listener.Start();
        }

        public long SignalR => Interlocked.Read(ref _signalR);

        public long Kestrel => Interlocked.Read(ref _kestrel);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>One reading of the process and the desk's structures (their sizes read by reflection: no API exposes them).</summary>
    private sealed record Sample(double WorkingSetMb, double HeapMb, int Handles, int Threads, long SignalR, long Kestrel, IReadOnlyDictionary<string, int> Structures)
    {
        public const string Header = "  time  flows  chats  working set  GC heap (after full GC)  handles  threads  SignalR  TCP  desk structures";

        public static Sample Take(IServiceProvider services, ConnectionMeters meters)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
            using var process = Process.GetCurrentProcess();
            var structures = new Dictionary<string, int>
            {
                ["hub connections"] = Size(services.GetService<AgentHubConnections>(), "_open"),
                ["notifier windows"] = Size(services.GetService<ContactNotifier>(), "_open"),
                ["opened results"] = Size(services.GetService<OpenedResults>(), "_cache"),
                ["chat flood keys"] = Size(services.GetService<ChatFlood>(), "_limiter"),
                ["video flood keys"] = Size(services.GetService<VideoFlood>(), "_limiter"),
                ["unreadable-line warnings"] = Size(services.GetService<ChatTextProtector>(), "_warned"),
                ["pseudonym keys"] = Size(services.GetService<SubjectPseudonyms>(), "_keys"),
                ["staffing gauges"] = Size(services.GetService<DeskMetrics>(), "_chatStaffing"),
            };
            return new Sample(process.WorkingSet64 / 1048576.0, heap, process.HandleCount, process.Threads.Count, meters.SignalR, meters.Kestrel, structures);
        }

        public string Line(TimeSpan at, int flows, int chats) =>
            $"  {at.TotalMinutes,4:F1}m {flows,6} {chats,6} {WorkingSetMb,9:F1} MB {HeapMb,20:F1} MB {Handles,8} {Threads,8} {SignalR,8} {Kestrel,4}  " +
            string.Join(", ", Structures.Select(s => $"{s.Key} {s.Value}"));

        /// <summary>The entry count of a private collection, a MemoryCache, or a partitioned rate limiter's partitions.</summary>
        private static int Size(object? owner, string field)
        {
            var value = owner is null ? null : Field(owner, field);
            return value switch
            {
                ICollection collection => collection.Count,
                Microsoft.Extensions.Caching.Memory.MemoryCache cache => cache.Count,
                not null when Field(value, "_cachedLimiters") is ICollection partitions => partitions.Count,
                _ => -1,
            };
        }

        private static object? Field(object owner, string name)
        {
            for (var type = owner.GetType(); type is not null; type = type.BaseType)
            {
                if (type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic) is { } field)
                {
                    return field.GetValue(owner);
                }
            }

            return null;
        }
    }
}
