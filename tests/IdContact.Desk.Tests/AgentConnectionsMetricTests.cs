using System.Diagnostics.Metrics;
using System.Security.Claims;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Tests;

/// <summary>The agent-connections gauge (docs/operations.md, metrics) counts only connections that will be counted off again.</summary>
public sealed class AgentConnectionsMetricTests
{
    private const string Tenant = "nowhere";

    [Fact]
    public async Task A_connection_that_fails_while_connecting_is_not_counted()
    {
        var options = new IdContactOptions();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        new DeskRole().AddServices(services, options);
        await using var provider = services.BuildServiceProvider();
        long connections = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeskMetrics.MeterName && instrument.Name == "idcontact.desk.agent_connections")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("tenant", Tenant)))
            {
                Interlocked.Add(ref connections, value);
            }
        });
        listener.Start();
        using var hub = new ContactsHub(provider.GetRequiredService<DeskMetrics>(), provider.GetRequiredService<ChatStore>(), provider.GetRequiredService<Sessions.AgentReadsFlood>())
        {
            Context = new Caller(Tenant),
            Groups = new NoGroups(),
        };

        // The tenant has no database here, so renewing the agent's presence throws, as a page leaving mid-connect does.
        await Assert.ThrowsAnyAsync<Exception>(hub.OnConnectedAsync);

        // SignalR never calls OnDisconnectedAsync after OnConnectedAsync threw, so a +1 here would never be taken back.
        Assert.Equal(0, Interlocked.Read(ref connections));
    }

    private sealed class Caller : HubCallerContext
    {
        private readonly FeatureCollection _features = new();

        public Caller(string tenant)
        {
            var http = new DefaultHttpContext();
            http.Request.RouteValues[TenantRouting.RouteValue] = tenant;
            _features.Set<IHttpContextFeature>(new HttpContextFeature { HttpContext = http });
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "agent-1")], "test"));
        }

        public override string ConnectionId => "connection-1";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User { get; }

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features => _features;

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }

    private sealed class HttpContextFeature : IHttpContextFeature
    {
        public HttpContext? HttpContext { get; set; }
    }

    private sealed class NoGroups : IGroupManager
    {
        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
