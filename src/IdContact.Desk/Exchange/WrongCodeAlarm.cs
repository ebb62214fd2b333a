using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Exchange;

/// <summary>
/// The tenant-wide count of wrong codes, typed at the exchange (DTMF) or on the caller's web page (Phone/WebCodes):
/// guessing spread over many callers or addresses stays under each one's limit, so past
/// Tenants:{tag}:Desk:WrongCodeAlertPerMinute in a minute there is one warning and one alert per window. Counts only.
/// </summary>
public sealed class WrongCodeAlarm(IOptions<IdContactOptions> options, DeskMetrics metrics, ILogger<WrongCodeAlarm> logger)
{
    public async Task CountAsync(DeskDbContext db, string tenant, string kind, DateTimeOffset now, CancellationToken ct)
    {
        var threshold = options.Value.Tenants[tenant].Desk().WrongCodeAlertPerMinute;
        metrics.WrongCode(tenant);
        await WrongCodeCounter.TryAddAsync(db, WrongCodeCounter.TenantKey, WrongCodeCounter.TenantWindow, int.MaxValue, now, ct);
        if (await WrongCodeCounter.TakeAlertAsync(db, threshold, ct))
        {
            metrics.Alert(tenant);
            logger.LogWarning("Tenant {Tenant}: more than {Threshold} wrong codes within a minute, the last one {Kind}; codes may be being guessed", tenant, threshold, kind);
        }
    }
}
