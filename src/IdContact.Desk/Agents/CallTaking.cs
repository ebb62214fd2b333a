using IdContact.Desk.Exchange;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Agents;

/// <summary>An agent takes a queued call (P7): the exchange puts it through to their extension.</summary>
public static class CallTaking
{
    /// <summary>"Next from the queue" asks again this often when colleagues take the first calls in the same instant.</summary>
    private const int NextTries = 3;

    /// <param name="agent">The agents' group under <c>/{tenant}/desk</c> (policy, own password).</param>
    public static void MapCallTaking(this RouteGroupBuilder agent)
    {
        agent.MapPost("/contacts/{id}/take", TakeAsync);
        agent.MapPost("/contacts/take-next", TakeNextAsync);
    }

    private static async Task<IResult> TakeAsync(
        HttpContext http, string id, IFormCollection form, TenantDatabases databases, ExchangeClient exchange, ContactNotifier notifier, TimeProvider time)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        if (string.IsNullOrEmpty(agent.Extension))
        {
            return Overview(http, "no-extension");
        }

        await using var db = databases.Open(http.TenantTag());
        return await ClaimAsync(db, id, agent, time.GetUtcNow(), http.RequestAborted)
            ? await RouteAsync(http, db, id, agent, exchange, notifier)
            : Overview(http, "gone");
    }

    /// <summary>The call that waits longest, first come first served; the overview lists contacts newest first.</summary>
    private static async Task<IResult> TakeNextAsync(
        HttpContext http, IFormCollection form, TenantDatabases databases, ExchangeClient exchange, ContactNotifier notifier, TimeProvider time)
    {
        _ = form;
        var agent = (await http.CurrentAgentAsync())!;
        if (string.IsNullOrEmpty(agent.Extension))
        {
            return Overview(http, "no-extension");
        }

        await using var db = databases.Open(http.TenantTag());
        for (var tried = 0; tried < NextTries; tried++)
        {
            if (await ContactQueue.FirstAsync(db, Channels.Phone, http.RequestAborted) is not { } id)
            {
                return Overview(http, "call-queue-empty");
            }

            if (await ClaimAsync(db, id, agent, time.GetUtcNow(), http.RequestAborted))
            {
                return await RouteAsync(http, db, id, agent, exchange, notifier);
            }
        }

        return Overview(http, "gone");
    }

    /// <summary>A queued call, taken with its audit record (<see cref="QueuedTake"/>); only a call the exchange matched has a call to route.</summary>
    private static Task<bool> ClaimAsync(DeskDbContext db, string id, Agent agent, DateTimeOffset now, CancellationToken ct) =>
        QueuedTake.ClaimAsync(db, id, s => s.CallId != null, agent, now, ct);

    private static async Task<IResult> RouteAsync(HttpContext http, DeskDbContext db, string id, Agent agent, ExchangeClient exchange, ContactNotifier notifier)
    {
        var tenantTag = http.TenantTag();
        var session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == id, http.RequestAborted);
        await notifier.ChangedAsync(tenantTag);

        var routed = await exchange.RouteAsync(tenantTag, http.Tenant().Desk(), session.CallId!, agent.Extension!, http.RequestAborted);
        if (!routed)
        {
            // Put it back in the queue so someone can try again.
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.State, ContactState.Queued).SetProperty(s => s.AgentId, (string?)null), http.RequestAborted);
            await notifier.ChangedAsync(tenantTag);
        }

        return Overview(http, routed ? "routed" : "route-failed");
    }

    private static SeeOther Overview(HttpContext http, string message) => new($"/{http.TenantTag()}/desk?message={message}");
}
