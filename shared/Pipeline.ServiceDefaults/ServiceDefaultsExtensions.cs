using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Media;
using Pipeline.Storage;

namespace Pipeline.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every Pipeline process has: a thread pool the bus never waits on (<see cref="ThreadPoolFloor"/>), media
    /// tools, the object store, stage plumbing, health checks, metrics and traces (<see cref="TelemetryExtensions"/>)
    /// and the console log format (<see cref="LogFormat"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        ThreadPoolFloor.Raise();
        builder.Logging.AddPipelineConsoleFormat(builder.Configuration);
        builder.AddPipelineTelemetry(serviceName);
        builder.Services.AddSingleton(WorkerIdentity.For(serviceName));
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<StageExecution>();
        builder.Services.AddMedia();
        builder.Services.AddObjectStore(builder.Configuration);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: every registered check passes (MassTransit
    /// registers one for the bus, unhealthy until the bus has connected), so an orchestrator only routes work to a
    /// worker that can take it. <c>/metrics</c>: the Prometheus scrape of every meter in <see cref="TelemetryExtensions"/>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
