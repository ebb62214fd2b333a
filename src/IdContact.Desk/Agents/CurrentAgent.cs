using System.Security.Claims;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Agents;

/// <summary>
/// The signed-in agent of this request, read from the tenant's database once per request and shared by the password
/// filter and the handler. Read on every request (not kept in the cookie), so a deleted agent sees nothing more at
/// once; read-only and untracked, for pages that only show. Changes to the agent go through <c>UserManager</c>.
/// </summary>
public static class CurrentAgent
{
    private static readonly object ItemKey = new();

    private static readonly PerModel<Func<DeskDbContext, string, CancellationToken, Task<Agent?>>> ById =
        new(() => EF.CompileAsyncQuery((DeskDbContext db, string id, CancellationToken ct) => db.Users.AsNoTracking().FirstOrDefault(u => u.Id == id)));

    /// <summary>Null when the principal names no agent of this tenant's database (deleted since sign-in).</summary>
    public static Task<Agent?> CurrentAgentAsync(this HttpContext http) => AgentOfAsync(http, http.User);

    /// <summary>
    /// The agent <paramref name="principal"/> names, read once per request: the cookie check reads it before
    /// <see cref="HttpContext.User"/> is set (<see cref="SessionStamp"/>), the pages reuse it.
    /// </summary>
    internal static async Task<Agent?> AgentOfAsync(HttpContext http, ClaimsPrincipal principal)
    {
        if (http.Items.TryGetValue(ItemKey, out var known))
        {
            return (Agent?)known;
        }

        Agent? agent = null;
        // Identity's default user id claim; the cookie was issued for the tenant in the URL (AgentAuthorization).
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
        {
            await using var db = http.RequestServices.GetRequiredService<TenantDatabases>().Open(http.TenantTag());
            agent = await ById.For(db)(db, id, http.RequestAborted);
        }

        http.Items[ItemKey] = agent;
        return agent;
    }

    /// <summary>This request's principal was refused: nothing read for it stays for the rest of the request.</summary>
    internal static void Forget(HttpContext http) => http.Items[ItemKey] = null;
}
