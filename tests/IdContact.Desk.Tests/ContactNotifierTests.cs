using System.Collections.Concurrent;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdContact.Desk.Tests;

/// <summary>A burst of changes makes agent pages refresh once, not once per change (issue 8.5).</summary>
public class ContactNotifierTests
{
    [Fact]
    public async Task A_burst_of_changes_is_told_once_per_tenant_and_a_later_change_again()
    {
        var hub = new RecordingHub();
        var clock = new FakeTimeProvider();
        var notifier = new ContactNotifier(hub, clock, NullLogger<ContactNotifier>.Instance);

        for (var i = 0; i < 20; i++)
        {
            await notifier.ChangedAsync("arnhem");
        }

        await notifier.ChangedAsync("utrecht");
        Assert.Empty(hub.Sent);
        clock.Advance(ContactNotifier.Debounce);
        await hub.WaitForAsync(2);
        Assert.Equal(["tenant:arnhem", "tenant:utrecht"], hub.Sent.Order());

        await notifier.ChangedAsync("arnhem");
        clock.Advance(ContactNotifier.Debounce);
        await hub.WaitForAsync(3);
        Assert.Equal(2, hub.Sent.Count(g => g == "tenant:arnhem"));
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
