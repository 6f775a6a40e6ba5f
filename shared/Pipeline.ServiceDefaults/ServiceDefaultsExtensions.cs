using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Media;
using Pipeline.Storage;

namespace Pipeline.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every Pipeline process has: media tools, the object store, stage plumbing and health checks.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(WorkerIdentity.For(serviceName));
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<StageExecution>();
        builder.Services.AddMedia();
        builder.Services.AddObjectStore(builder.Configuration);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: every registered check passes (the bus
    /// registers its own), so an orchestrator only routes work to a worker that can take it.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        return app;
    }
}
