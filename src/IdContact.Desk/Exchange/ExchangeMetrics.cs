using System.Diagnostics.Metrics;

namespace IdContact.Desk.Exchange;

/// <summary>The desk's meter "IdContact.Desk": wrong DTMF codes and guessing alerts per tenant. Counts only, no codes or numbers.</summary>
public sealed class ExchangeMetrics
{
    public const string MeterName = "IdContact.Desk";

    private readonly Counter<long> _wrongCodes;
    private readonly Counter<long> _alerts;

    public ExchangeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _wrongCodes = meter.CreateCounter<long>("idcontact.desk.wrong_codes", "{code}", "Wrong DTMF codes entered at the exchange");
        _alerts = meter.CreateCounter<long>("idcontact.desk.wrong_code_alerts", "{alert}", "Minutes in which wrong codes passed Desk:WrongCodeAlertPerMinute");
    }

    public void WrongCode(string tenant) => _wrongCodes.Add(1, new KeyValuePair<string, object?>("tenant", tenant));

    public void Alert(string tenant) => _alerts.Add(1, new KeyValuePair<string, object?>("tenant", tenant));
}
