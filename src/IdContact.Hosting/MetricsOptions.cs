namespace IdContact.Hosting;

/// <summary>Section "Metrics": OpenTelemetry metrics of every role, exported for Prometheus.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve /metrics (counts and durations only, never personal data). On in the embedded demo, off otherwise.</summary>
    public bool? Enabled { get; set; }
}
