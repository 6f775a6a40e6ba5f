using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every Pipeline process: the stage meter, MassTransit's and ASP.NET Core's meters, and their
/// traces when they are exported. Nothing leaves the process unless asked: OTLP (and tracing) only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, and the Prometheus scrape endpoint only on web hosts, through <see cref="ServiceDefaultsExtensions.MapDefaultEndpoints"/>.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>MassTransit's ActivitySource and Meter share this name.</summary>
    public const string MassTransitSource = "MassTransit";

    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IHostApplicationBuilder AddPipelineTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(sp => new StageMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), serviceName));

        // Only a web host can serve /metrics; the embedded CLI's plain host must not gain a listener or an exporter.
        var scrapable = builder is WebApplicationBuilder;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(StageMetrics.MeterName, MassTransitSource);
                metrics.AddAspNetCoreInstrumentation();
                if (scrapable)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            // Traces only where they can go. Without an exporter, a tracer provider would still make every message
            // and request build and tag its activities (MassTransit's send, receive and consume spans), CPU that each
            // bus hop pays for and no one reads.
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(MassTransitSource);
                tracing.AddAspNetCoreInstrumentation(o =>
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"));
            });

            // One exporter for logs, metrics and traces, configured by the standard OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
            // The job id lives in a log scope (StageExecution, JobEventsConsumer): without scopes it would not travel.
            builder.Services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeScopes = true);
        }

        return builder;
    }
}
