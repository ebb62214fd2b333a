using System.Security.Claims;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Sessions;

/// <summary>
/// SignalR keys every connection by its token alone, in one table for all hubs and tenants: a long poll or a send
/// (<c>?id=</c>) reached an agent's connection from any hub path, so through the residents' anonymous hub without a
/// cookie, from another tenant's path, and with a colleague's cookie (its calls ran as the connection's agent). A token
/// travels in the URL, so in proxy logs. This binds a token to the hub path, tenant and account of the first request
/// that names it (the client's first poll, right after negotiating); a later request that differs finds no connection.
/// </summary>
public sealed class HubConnectionBinding : IDisposable
{
    /// <summary>A live long-polling or SSE client calls at least every 15 s (its pings); a WebSocket names it once.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _bindings = new(new MemoryCacheOptions());

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<HubMetadata>() is null
            || endpoint.Metadata.GetMetadata<NegotiateMetadata>() is not null
            || http.Request.Query["id"] is not [{ Length: > 0 } token])
        {
            await next(http);
            return;
        }

        var binding = $"{endpoint.RoutePattern.RawText}\n{http.TenantTag()}\n{http.User.FindFirstValue(ClaimTypes.NameIdentifier)}";
        var first = false;
        var bound = _bindings.GetOrCreate(token, entry =>
        {
            first = true;
            entry.SlidingExpiration = Idle;
            return binding;
        });
        if (bound != binding)
        {
            // As SignalR answers an unknown token: nothing said of whose it is or where it lives.
            await Problems.Make(StatusCodes.Status404NotFound, "No such connection", "There is no connection with that id here.").ExecuteAsync(http);
            return;
        }

        await next(http);
        if (first && http.Response.StatusCode == StatusCodes.Status404NotFound)
        {
            // A token SignalR does not know (made up, or of a connection that ended) is not kept.
            _bindings.Remove(token);
        }
    }

    public void Dispose() => _bindings.Dispose();
}

public static class HubConnectionBindingExtensions
{
    /// <summary>After authentication (the account is part of the binding) and routing (the hub path and tenant are).</summary>
    public static IApplicationBuilder UseHubConnectionBinding(this IApplicationBuilder app) =>
        app.Use(app.ApplicationServices.GetRequiredService<HubConnectionBinding>().InvokeAsync);
}
