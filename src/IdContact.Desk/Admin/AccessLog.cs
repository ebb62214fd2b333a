using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Admin;

/// <summary>One page of the access log: its rows and how many match, counted up to <see cref="AccessLog.CountCap"/> + 1.</summary>
public sealed record AccessLogResult(IReadOnlyList<AuditRecord> Rows, int Page, int Total)
{
    public bool MoreThanCounted => Total > AccessLog.CountCap;

    public int Pages => Math.Max(1, (Math.Min(Total, AccessLog.CountCap) + AccessLog.PageSize - 1) / AccessLog.PageSize);
}

/// <summary>
/// Reads the access audit (X1: who saw which session's data, when) of the tenant's own database, newest first. Only reads:
/// the records are written where the data is shown (ContactsQuery, ChatStore, AgentEndpoints, the video stores).
/// </summary>
public static class AccessLog
{
    public const int PageSize = 100;

    /// <summary>
    /// Counting stops here (a range scan of an index, bounded); so does the download. Past it, narrow the period:
    /// a year of a busy desk is millions of rows, and nobody reads more than this in a spreadsheet.
    /// </summary>
    public const int CountCap = 100_000;

    public const int ExportCap = CountCap;

    public const int MaxPage = CountCap / PageSize;

    public static IQueryable<AuditRecord> Matching(DeskDbContext db, AccessLogFilter filter)
    {
        var records = db.Audit.AsNoTracking();
        if (filter.Agent.Length > 0)
        {
            records = records.Where(r => r.AgentName == filter.Agent);
        }

        if (filter.Session.Length > 0)
        {
            records = records.Where(r => r.SessionId == filter.Session);
        }

        if (filter.Subject.Length > 0)
        {
            records = records.Where(r => r.SubjectPseudonym == filter.Subject);
        }

        if (filter.Action.Length > 0)
        {
            records = records.Where(r => r.Action == filter.Action);
        }

        if (filter.FromUtc is { } from)
        {
            records = records.Where(r => r.At >= from);
        }

        if (filter.ToUtcExclusive is { } to)
        {
            records = records.Where(r => r.At < to);
        }

        return records.OrderByDescending(r => r.At).ThenByDescending(r => r.Id);
    }

    public static async Task<AccessLogResult> PageAsync(DeskDbContext db, AccessLogFilter filter, CancellationToken ct)
    {
        var total = await Matching(db, filter).Take(CountCap + 1).CountAsync(ct);
        var rows = await Matching(db, filter).Skip((filter.Page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new AccessLogResult(rows, filter.Page, total);
    }

    /// <summary>The newest <see cref="ExportCap"/> matching records, read as they are written out.</summary>
    public static IAsyncEnumerable<AuditRecord> Export(DeskDbContext db, AccessLogFilter filter) =>
        Matching(db, filter).Take(ExportCap).AsAsyncEnumerable();
}
