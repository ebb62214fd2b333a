using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// The administrator's staffing page (Bezetting): the queue and who works, counts, times and agent names only. Not an
/// access-log event: it shows nothing of a resident.
/// </summary>
public static class StaffingEndpoints
{
    /// <summary>Maps onto the administrators' group (policy desk-admin, own password required).</summary>
    public static void MapStaffing(this RouteGroupBuilder admin)
    {
        admin.MapGet("/staffing", async (HttpContext http) =>
        {
            var (page, view) = await ReadAsync(http);
            return new RazorComponentResult<StaffingPage>(new
            {
                View = view,
                page.TenantTag,
                page.Brand,
                page.English,
                RefreshSeconds = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().AgentRefreshSeconds,
            });
        });

        // The table alone, fetched by staffing.js on a timer.
        admin.MapGet("/staffing/list", async (HttpContext http) =>
        {
            var (page, view) = await ReadAsync(http);
            return new RazorComponentResult<StaffingList>(new { View = view, page.English });
        });
    }

    private static async Task<(DeskPages Page, StaffingView View)> ReadAsync(HttpContext http)
    {
        var page = DeskPages.For(http);
        var desk = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var view = await Staffing.ReadAsync(
            http.RequestServices.GetRequiredService<DeskDbContext>(), now, desk.Chat.PresenceLease,
            page.Tenant.Desk().Chat.MaxChatsPerAgent, http.RequestAborted);
        return (page, view);
    }
}
