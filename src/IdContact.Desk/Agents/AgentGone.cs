using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Agents;

/// <summary>
/// An agent acted in the instant their account was deleted, and the database refused to let the contact land on the
/// deleted id (<see cref="DeskDbContext.AgentHolds"/>): a 409, not a 500. The paths with a refusal of their own (take,
/// assign, open a call) answer it themselves; this catches the rest, such as starting a caller's identification.
/// </summary>
public sealed class AgentGone(ILogger<AgentGone> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreErrors.IsForeignKeyViolation(exception) || http.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("A write named an agent account deleted meanwhile; refused");
        await Problems.Make(StatusCodes.Status409Conflict, "Account deleted", "The agent account was deleted meanwhile; nothing was assigned to it.")
            .ExecuteAsync(http);
        return true;
    }
}
