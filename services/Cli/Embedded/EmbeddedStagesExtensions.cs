using MassTransit;
using Microsoft.Extensions.Hosting;
using Pipeline.Api;
using Pipeline.AudioFeatures;
using Pipeline.Encoding;
using Pipeline.Motion;
using Pipeline.Mux;
using Pipeline.Render;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Embedded;

/// <summary>
/// Every stage service and the orchestrator on one bus: what `pipeline dub` (<see cref="EmbeddedRuntime"/>) and
/// `pipeline serve` host alike, so the two embedded modes cannot drift apart.
/// </summary>
public static class EmbeddedStagesExtensions
{
    /// <param name="addConsumers">Consumers of the host itself (the CLI's job watcher), on the same bus.</param>
    public static IHostApplicationBuilder AddEmbeddedStages(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        builder.AddJobOrchestration();
        builder.AddEncoding();
        builder.AddMotion();
        builder.AddRender();
        builder.AddPipelineBus(bus =>
        {
            bus.AddOrchestrationConsumers();
            bus.AddAudioFeaturesConsumers();
            bus.AddEncodingConsumers();
            bus.AddMotionConsumers();
            bus.AddRenderConsumers();
            bus.AddMuxConsumers();
            addConsumers?.Invoke(bus);
        });
        return builder;
    }
}
