using System.Diagnostics.Metrics;

namespace IdContact.Core;

/// <summary>The core's meter "IdContact.Core": sessions started per form, channel and sign-in method. Counts only.</summary>
public sealed class CoreMetrics
{
    public const string MeterName = "IdContact.Core";

    private readonly Counter<long> _started;

    public CoreMetrics(IMeterFactory meters) =>
        _started = meters.Create(MeterName).CreateCounter<long>("idcontact.core.sessions_started", "{session}", "Sessions started by the core, by form, comm method and auth method");

    /// <param name="form">"full", "comm_only" or "auth_only".</param>
    public void Started(string tenant, string form, string? commMethod, string? authMethod) =>
        _started.Add(
            1,
            new KeyValuePair<string, object?>("tenant", tenant),
            new KeyValuePair<string, object?>("form", form),
            new KeyValuePair<string, object?>("comm_method", commMethod ?? "none"),
            new KeyValuePair<string, object?>("auth_method", authMethod ?? "none"));
}
