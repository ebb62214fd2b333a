using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IdContact.Desk;

/// <summary>
/// The desk's meter "IdContact.Desk", exported at /metrics when Metrics:Enabled. Counts only: never a code, a number,
/// a session id or an attribute value; tags are the tenant and a fixed word.
/// </summary>
public sealed class DeskMetrics
{
    public const string MeterName = "IdContact.Desk";

    private readonly Counter<long> _wrongCodes;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _identify;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _results;
    private readonly Counter<long> _retention;
    private readonly UpDownCounter<long> _agents;
    private readonly Counter<long> _retiredKeys;
    private readonly Counter<long> _handedBack;
    private readonly Counter<long> _mailFailures;
    private readonly Counter<long> _sweeps;
    private readonly Counter<long> _bookingsRefused;
    private readonly Counter<long> _limitRefusals;
    private readonly ConcurrentDictionary<string, (int Waiting, int Taking)> _chatStaffing = new();

    public DeskMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _wrongCodes = meter.CreateCounter<long>("idcontact.desk.wrong_codes", "{code}", "Wrong DTMF codes entered at the exchange");
        _alerts = meter.CreateCounter<long>("idcontact.desk.wrong_code_alerts", "{alert}", "Minutes in which wrong codes passed Desk:WrongCodeAlertPerMinute");
        _identify = meter.CreateCounter<long>("idcontact.desk.identify", "{request}", "Exchange identify requests by outcome");
        _sessions = meter.CreateCounter<long>("idcontact.desk.sessions_created", "{session}", "Desk sessions created, by channel");
        _results = meter.CreateCounter<long>("idcontact.desk.results", "{result}", "Auth results received, by outcome (accepted or the reason for refusal)");
        _retention = meter.CreateCounter<long>("idcontact.desk.retention_deleted", "{session}", "Sessions deleted by retention");
        _retiredKeys = meter.CreateCounter<long>("idcontact.desk.retired_key_opens", "{result}", "Results only a key being retired (PreviousDecryptionKeys) could decrypt, by kind (delivered or stored)");
        _handedBack = meter.CreateCounter<long>("idcontact.desk.chats_handed_back", "{chat}", "Chats handed back to the queue or a colleague, by reason (absent: the agent's pages were gone; deleted: the account)");
        _mailFailures = meter.CreateCounter<long>("idcontact.desk.mail_failures", "{attempt}", "Appointment e-mails the mail server did not take (each failed attempt; the outbox retries)");
        _bookingsRefused = meter.CreateCounter<long>("idcontact.desk.bookings_refused", "{booking}", "Video bookings refused by a cap, by reason (email: MaxComingPerEmail; address: BookingsPerAddressPerDay)");
        _limitRefusals = meter.CreateCounter<long>("idcontact.desk.limit_refusals", "{refusal}", "Hub calls refused by a flood limit and sign-ins refused by their budget (docs/operations.md, A limit is refusing a lot), by limit and tenant");
        _sweeps = meter.CreateCounter<long>("idcontact.desk.retention_sweeps", "{sweep}", "Retention sweeps completed over all tenants (one a Desk:RetentionSweepSeconds per instance)");
        meter.CreateObservableGauge("idcontact.desk.chats_waiting", () => Staffing(s => s.Waiting), "{chat}", "Chats in the queue (nobody holds them; counted up to ContactQueue.Cap), as the last retention sweep counted");
        meter.CreateObservableGauge("idcontact.desk.chat_agents_available", () => Staffing(s => s.Taking), "{agent}", "Agents taking chats (available, a page renewing the lease), as the last retention sweep counted");
        // From the first scrape on, so an instance that never completes a sweep (no sweeps series) is seen by the alert.
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        meter.CreateObservableGauge("idcontact.desk.start_time", () => new DateTimeOffset(started).ToUnixTimeSeconds(), "s", "When this desk instance's process started (Unix time)");
        _agents = meter.CreateUpDownCounter<long>("idcontact.desk.agent_connections", "{connection}", "Agent pages connected for live updates");
        // "Degraded" keeps an instance in the load balancer, so the not-ready alert stays quiet over a Redis outage: this
        // gauge is what deploy/prometheus-alerts.yml's IdContactRedisDown watches. No series before the first probe.
        meter.CreateObservableGauge(
            "idcontact.desk.redis_reachable",
            () => _redisAnswered < 0 ? [] : new[] { new Measurement<int>(_redisAnswered) },
            "{probe}",
            "Whether Redis (Desk:Redis) answered the last /health/ready probe: 1 yes, 0 no");
    }

    /// <summary>The last readiness probe's Redis answer: 1 answered, 0 not, -1 none yet.</summary>
    private volatile int _redisAnswered = -1;

    public void RedisProbed(bool answered) => _redisAnswered = answered ? 1 : 0;

    public void WrongCode(string tenant) => _wrongCodes.Add(1, Tenant(tenant));

    public void Alert(string tenant) => _alerts.Add(1, Tenant(tenant));

    public void Identify(string tenant, string outcome) => _identify.Add(1, Tenant(tenant), new("outcome", outcome));

    public void SessionCreated(string tenant, string channel) => _sessions.Add(1, Tenant(tenant), new("channel", channel));

    public void Result(string tenant, string outcome) => _results.Add(1, Tenant(tenant), new("outcome", outcome));

    public void RetentionDeleted(string tenant, int count) => _retention.Add(count, Tenant(tenant));

    public void BookingRefused(string tenant, string reason) => _bookingsRefused.Add(1, Tenant(tenant), new("reason", reason));

    /// <param name="limit">The limit's stable name (<see cref="Sessions.PerMinuteLimiter"/>), never an identifier.</param>
    public void LimitRefused(string tenant, string limit) => _limitRefusals.Add(1, Tenant(tenant), new("limit", limit));

    public void RetiredKeyUsed(string tenant, string kind) => _retiredKeys.Add(1, Tenant(tenant), new("kind", kind));

    public void ChatsHandedBack(string tenant, string reason, int count) => _handedBack.Add(count, Tenant(tenant), new("reason", reason));

    public void MailFailed(string tenant) => _mailFailures.Add(1, Tenant(tenant));

    public void RetentionSwept() => _sweeps.Add(1);

    /// <summary>The chat queue and the agents taking chats, per tenant: refreshed by every retention sweep, read at each scrape.</summary>
    public void ChatStaffing(string tenant, int waiting, int taking) => _chatStaffing[tenant] = (waiting, taking);

    public void AgentConnected(string tenant, int change) => _agents.Add(change, Tenant(tenant));

    private IEnumerable<Measurement<int>> Staffing(Func<(int Waiting, int Taking), int> value) =>
        _chatStaffing.Select(t => new Measurement<int>(value(t.Value), Tenant(t.Key)));

    private static KeyValuePair<string, object?> Tenant(string tenant) => new("tenant", tenant);
}
