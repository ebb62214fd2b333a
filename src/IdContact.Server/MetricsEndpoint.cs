using OpenTelemetry.Metrics;

namespace IdContact.Server;

/// <summary>
/// OpenTelemetry metrics (ASP.NET Core, HttpClient, runtime, EF Core, Npgsql and our own meters "IdContact.*") in
/// Prometheus format at /metrics, when Metrics:Enabled. Protect it like any internal endpoint (reverse proxy).
/// </summary>
public static class MetricsEndpoint
{
    public static void AddIdContactMetrics(this IServiceCollection services, bool enabled)
    {
        if (!enabled)
        {
            return;
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("IdContact.*", "Microsoft.EntityFrameworkCore", "Npgsql")
            .AddPrometheusExporter());
    }

    public static void MapMetrics(this WebApplication app, bool enabled)
    {
        if (enabled)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
    }
}
