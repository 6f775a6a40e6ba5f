using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Api.Ingest;

/// <summary>Probes each input and checks it against what the job's mode needs, so bad input fails before any heavy stage.</summary>
public sealed class IngestMediaConsumer(StageExecution execution, IObjectStore store, MediaProber prober) : IConsumer<IngestMedia>
{
    public Task Consume(ConsumeContext<IngestMedia> context)
    {
        var message = context.Message;
        return execution.RunAsync(context, message.JobId, new StageRunId(StageKind.Ingest), async stage =>
        {
            var video = await ProbeAsync(message.Inputs.Video, InputRole.Video, stage.CancellationToken);
            stage.Progress.Report(0.5);
            var image = await ProbeAsync(message.Inputs.Image, InputRole.Image, stage.CancellationToken);
            var audio = await ProbeAsync(message.Inputs.Audio, InputRole.Audio, stage.CancellationToken);
            return new MediaIngested(message.JobId, video, image, audio, stage.Report(cacheHit: false));
        });
    }

    private async Task<MediaSummary?> ProbeAsync(ArtifactRef? input, InputRole role, CancellationToken ct)
    {
        if (input is null)
        {
            return null;
        }

        using var file = await store.GetLocalFileAsync(input.Key, ct);
        var info = await prober.ProbeAsync(file.Path, ct);
        InputRequirements.Check(info, role, DisplayName(input));
        return info.ToSummary();
    }

    // Users know their files by name, not by content hash: the key's last segment is the original name.
    private static string DisplayName(ArtifactRef input) => input.Key[(input.Key.LastIndexOf('/') + 1)..];
}

public sealed class IngestMediaConsumerDefinition : ConsumerDefinition<IngestMediaConsumer>
{
    public IngestMediaConsumerDefinition()
    {
        EndpointName = StageEndpoints.IngestMedia;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<IngestMediaConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
