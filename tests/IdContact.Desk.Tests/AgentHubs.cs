using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace IdContact.Desk.Tests;

/// <summary>An agent's hub connection as the pages open it, for the tests of the hubs' account checks.</summary>
public static class AgentHubs
{
    /// <summary>Every transport a page may fall back to, for tests that must hold on each.</summary>
    public static TheoryData<HttpTransportType> Transports =>
        new(HttpTransportType.WebSockets, HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents);

    /// <summary>Opens <paramref name="path"/> (under the agent's tenant) with the agent's cookies; refused at the door, it stays closed.</summary>
    public static async Task<HubConnection> ConnectAsync(DeskServer desk, DeskAgent agent, string path, HttpTransportType? transport = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{desk.Server.BaseUrl}/{agent.Tenant}{path}", o =>
            {
                o.Cookies = agent.CookieJar;
                o.Transports = transport ?? o.Transports;
            }).Build();
        try
        {
            await connection.StartAsync();
        }
        catch (Exception)
        {
            // Refused at the door: the calls below fail, which is what the test asks.
        }

        return connection;
    }

    /// <summary>Completes when the server closes the connection; the test never calls on it meanwhile.</summary>
    public static Task ClosedAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        if (connection.State == HubConnectionState.Disconnected)
        {
            closed.TrySetResult();
        }

        return closed.Task;
    }

    /// <summary>Whether the overview hub still answers the agent's calls.</summary>
    public static async Task<bool> RenewsAsync(HubConnection connection)
    {
        try
        {
            // Twice: a connection closed by the first call cannot answer the second.
            await connection.InvokeAsync("Renew");
            await connection.InvokeAsync("Renew");
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
