using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Desk.Admin;

/// <summary>
/// Every administrator action, newest first and paged, read-only: the account changes (who created, deleted, reset or
/// gave a role to whom), the reads of the access log, and the agents' sign-ins (with failures, lock-outs and sign-outs).
/// The data protection officer checks the administrators here.
/// </summary>
public static class AdminAuditEndpoints
{
    public const int PageSize = 50;

    /// <summary>10,000 actions back; older ones are a database query for the operator, not a page to click through.</summary>
    public const int MaxPage = 200;

    public const string ReadsKind = "reads";

    public const string SignInsKind = "sign-ins";

    public const string AppointmentsKind = "appointments";

    /// <summary>Mapped inside the audit readers' group: the tenant's administrators and data protection officers.</summary>
    public static void MapAdminAudit(this RouteGroupBuilder readers) => readers.MapGet("/audit", PageAsync);

    private static async Task<RazorComponentResult> PageAsync(HttpContext http, DeskDbContext db)
    {
        var page = DeskPages.For(http);
        var kind = http.Request.Query["kind"].ToString();
        var pageError = AccessLogFilter.PageError(http.Request.Query["page"].ToString(), MaxPage, page.English, out var number);
        var error = kind is "" or ReadsKind or SignInsKind or AppointmentsKind ? pageError : page.English ? "Unknown kind of action." : "Onbekende soort beheeractie.";
        var shown = kind switch
        {
            ReadsKind => AdminAuditKind.AccessLogReads,
            SignInsKind => AdminAuditKind.SignIns,
            AppointmentsKind => AdminAuditKind.Appointments,
            _ => AdminAuditKind.AccountChanges,
        };
        // One more than shown tells whether there is an older page, without counting the whole trail.
        var rows = error is null ? await AdminAudit.RecentAsync(db, shown, PageSize + 1, http.RequestAborted, (number - 1) * PageSize) : [];
        return new RazorComponentResult<AdminAuditPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.English,
            Kind = shown,
            Page = number,
            Entries = rows.Take(PageSize).ToList(),
            HasOlder = rows.Count > PageSize,
            Error = error,
        })
        { StatusCode = error is null ? 200 : 400 };
    }
}
