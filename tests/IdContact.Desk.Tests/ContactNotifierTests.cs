using System.Collections.Concurrent;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>A burst of changes makes agent pages refresh twice, not once per change (issue 8.5), and a lone change shows at once (issue 12).</summary>
public class ContactNotifierTests
{
    [Fact]
    public async Task A_change_after_a_quiet_spell_is_told_at_once_and_a_burst_once_more_at_the_end_of_the_interval()
    {
        var hub = new RecordingHub();
        var clock = new FakeTimeProvider();
        var notifier = new ContactNotifier(hub, clock, NullLogger<ContactNotifier>.Instance);

        for (var i = 0; i < 20; i++)
        {
            await notifier.ChangedAsync("arnhem");
        }

        await notifier.ChangedAsync("utrecht");
        // The first change of each tenant goes out without waiting for the clock.
        await hub.WaitForAsync(2);
        Assert.Equal(["tenant:arnhem", "tenant:utrecht"], hub.Sent.Order());

        // Arnhem's other 19 changes are told once when the interval ends; Utrecht had no more.
        clock.Advance(ContactNotifier.Debounce);
        await hub.WaitForAsync(3);
        Assert.Equal(2, hub.Sent.Count(g => g == "tenant:arnhem"));

        // A quiet interval closes the window; the next change is told at once again.
        await Task.Delay(50); // lets the notifier start its next interval on the fake clock
        clock.Advance(ContactNotifier.Debounce);
        await Task.Delay(50);
        Assert.Equal(3, hub.Sent.Count);
        await notifier.ChangedAsync("arnhem");
        await hub.WaitForAsync(4);
        Assert.Equal(3, hub.Sent.Count(g => g == "tenant:arnhem"));
    }

    private sealed class RecordingHub : IHubContext<ContactsHub>, IHubClients
    {
        public ConcurrentQueue<string> Sent { get; } = new();

        IHubClients IHubContext<ContactsHub>.Clients => this;

        IGroupManager IHubContext<ContactsHub>.Groups => throw new NotSupportedException();

        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => new Proxy(this, groupName);

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => throw new NotSupportedException();

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();

        /// <summary>The notifier sends after its delay on the thread pool; wait (bounded) for the expected count.</summary>
        public async Task WaitForAsync(int count)
        {
            for (var i = 0; i < 200 && Sent.Count < count; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(count, Sent.Count);
        }

        private sealed class Proxy(RecordingHub hub, string group) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                Assert.Equal(ContactsHub.ChangedMessage, method);
                Assert.Empty(args);
                hub.Sent.Enqueue(group);
                return Task.CompletedTask;
            }
        }
    }
}
