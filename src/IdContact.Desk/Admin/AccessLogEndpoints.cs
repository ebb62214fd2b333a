using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// The access log ("Inzage-log", X1) for the tenant's administrators and data protection officer: who saw which
/// session's data and when, filtered, paged and as CSV. The records come from the tenant's own database, so no other
/// municipality's can appear; every read is itself recorded in the admin audit under the reader's name.
/// </summary>
public static class AccessLogEndpoints
{
    private static readonly string[] Fields = ["agent", "session", "from", "to", "action"];

    /// <summary>Mapped inside the audit readers' group: the tenant's administrators and data protection officers.</summary>
    public static void MapAccessLog(this RouteGroupBuilder readers)
    {
        readers.MapGet("/access-log", PageAsync);
        readers.MapGet("/access-log.csv", ExportAsync);
        readers.MapPost("/access-log", SearchBsnAsync);
    }

    /// <summary>
    /// A resident's access request ("who saw my data?"): the BSN comes in the body of a post, never in a URL (browsers,
    /// proxies and history keep those), and the answer sends to the records filed under its pseudonym. A malformed BSN
    /// is a 400 page; the read itself is recorded when the records are shown, under "bsn=" and the pseudonym's start.
    /// </summary>
    private static async Task<IResult> SearchBsnAsync(HttpContext http, IFormCollection form, SubjectPseudonyms pseudonyms, UserManager<Agent> users)
    {
        var page = DeskPages.For(http);
        var english = page.English;
        var typed = form["bsn"].Count == 1 ? form["bsn"].ToString().Trim() : "";
        var bsn = Bsn.Normalise(typed);
        var error = typed.Length == 0 ? (english ? "Enter a citizen service number (BSN)." : "Vul een BSN in.")
            : bsn is null ? (english ? "A BSN has 9 digits." : "Een BSN bestaat uit 9 cijfers.")
            : !Bsn.PassesElevenTest(bsn) ? (english ? "This is not a valid BSN (the eleven-test fails); check the number." : "Dit is geen geldig BSN (de elfproef klopt niet); controleer het nummer.")
            : null;
        if (error is not null)
        {
            return await RefuseAsync(http, page, users, error, "bsn", BsnError(typed));
        }

        var subject = await pseudonyms.OfBsnAsync(page.TenantTag, bsn!, http.RequestAborted);
        if (subject is null)
        {
            var failed = await RefuseAsync(http, page, users, english
                ? "Searching by BSN is not possible now: the key of the access log cannot be opened. Ask the installation's administrator."
                : "Zoeken op BSN kan nu niet: de sleutel van het inzage-log is niet te openen. Vraag het de beheerder van de installatie.", "bsn", BsnError(typed));
            failed.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return failed;
        }

        var query = new AccessLogFilter("", "", null, null, "", 1, subject).Query().Concat(english ? [new("lang", "en")] : []);
        return TypedResults.Redirect($"/{page.TenantTag}/desk/admin/access-log?" + string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    /// <summary>What was typed in the BSN field, shown again beside the message (in this response only, never stored).</summary>
    private static KeyValuePair<string, string> BsnError(string typed) => new("bsn", typed.Length > 30 ? typed[..30] : typed);

    private static async Task<RazorComponentResult> PageAsync(HttpContext http, DeskDbContext db, UserManager<Agent> users)
    {
        var page = DeskPages.For(http);
        var filter = AccessLogFilter.TryParse(http.Request.Query, page.English, AccessLog.MaxPage, out var error, out var field);
        if (filter is null)
        {
            return await RefuseAsync(http, page, users, error!, field);
        }

        var result = await AccessLog.PageAsync(db, filter, http.RequestAborted);
        await AdminAudit.RecordAsync(http, AdminActions.AccessLog, "", filter.Agent, Detail(filter, filter.Page));
        return Render(http, page, await AgentNamesAsync(users, http), filter.Query().ToDictionary(), filter, result, null, await DeletedAsync(users, result, http));
    }

    /// <summary>
    /// The accounts on this page that no longer exist: a user name can be given again after its account was deleted,
    /// and the log must not let the new holder be taken for the old one (the CSV carries the account id for this).
    /// </summary>
    private static async Task<IReadOnlySet<string>> DeletedAsync(UserManager<Agent> users, AccessLogResult result, HttpContext http)
    {
        var ids = result.Rows.Select(r => r.AgentId).Distinct().ToList();
        var existing = await users.Users.Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(http.RequestAborted);
        return ids.Except(existing).ToHashSet();
    }

    private static async Task<IResult> ExportAsync(HttpContext http, DeskDbContext db, UserManager<Agent> users)
    {
        var english = http.PrefersEnglish();
        var filter = AccessLogFilter.TryParse(http.Request.Query, english, AccessLog.MaxPage, out var error, out var field);
        if (filter is null)
        {
            return await RefuseAsync(http, DeskPages.For(http), users, error!, field);
        }

        // Recorded before the first byte: a download cut off halfway was still asked for.
        await AdminAudit.RecordAsync(http, AdminActions.AccessLogExport, "", filter.Agent, Detail(filter, 1));
        var from = filter.From is { } f ? AccessLogFilter.Day(f) : english ? "start" : "begin";
        var to = filter.To is { } t ? AccessLogFilter.Day(t) : english ? "now" : "heden";
        var name = $"{(english ? "access-log" : "inzagelog")}-{http.TenantTag()}-{from}-{to}.csv";
        return Results.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, AccessLogCsv.Encoding, bufferSize: 16 * 1024);
                await AccessLogCsv.WriteAsync(writer, AccessLog.Export(db, filter), english, http.RequestAborted);
            },
            "text/csv; charset=utf-8",
            name);
    }

    private static string? Detail(AccessLogFilter filter, int page) =>
        string.Join("; ", new[] { filter.Describe(), page > 1 ? $"page={page}" : "" }.Where(p => p.Length > 0)) is { Length: > 0 } detail ? detail : null;

    /// <summary>
    /// A 400 page with the message and what was typed (shortened; Razor escapes it), nothing read. The message is linked
    /// to <paramref name="field"/> (WCAG 3.3.1); with <paramref name="bsn"/> it is the search form's, else the filter's.
    /// </summary>
    private static async Task<RazorComponentResult> RefuseAsync(
        HttpContext http, DeskPages page, UserManager<Agent> users, string error, string? field, KeyValuePair<string, string>? bsn = null)
    {
        var typed = bsn is { } typedBsn
            ? new Dictionary<string, string> { [typedBsn.Key] = typedBsn.Value }
            : Fields.ToDictionary(k => k, k => http.Request.Query[k].ToString() is { Length: > 300 } text ? text[..300] : http.Request.Query[k].ToString());
        return Render(http, page, await AgentNamesAsync(users, http), typed, AccessLogFilter.None, null, error, new HashSet<string>(), field);
    }

    private static Task<List<string>> AgentNamesAsync(UserManager<Agent> users, HttpContext http) =>
        users.Users.OrderBy(a => a.UserName).Select(a => a.UserName ?? "").ToListAsync(http.RequestAborted);

    private static RazorComponentResult Render(
        HttpContext http, DeskPages page, IReadOnlyList<string> agents, IReadOnlyDictionary<string, string> values, AccessLogFilter filter, AccessLogResult? result, string? error,
        IReadOnlySet<string> deleted, string? errorField = null) =>
        new RazorComponentResult<AccessLogPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.English,
            Agents = agents,
            Values = values,
            Filter = filter,
            Result = result,
            Error = error,
            ErrorField = errorField,
            DeletedAccounts = deleted,
            RetentionDays = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().AuditRetentionDays,
            Now = DateTimeOffset.UtcNow,
            page.AntiforgeryField,
            page.AntiforgeryToken,
        })
        { StatusCode = error is null ? 200 : 400 };
}
