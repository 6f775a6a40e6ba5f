using MassTransit;
using Pipeline.AudioFeatures.Dsp;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.AudioFeatures;

/// <summary>
/// Computes the speech features every motion model reads (mel, MFCC, energy, F0, voice activity), on the target
/// video's frame clock, and stores them as .npy files beside a features.json that documents them.
/// </summary>
public sealed class ExtractAudioFeaturesConsumer(StageExecution execution, IObjectStore store, MediaProber prober, FfmpegRunner runner)
    : IConsumer<ExtractAudioFeatures>
{
    public const int StageVersion = 1;

    public Task Consume(ConsumeContext<ExtractAudioFeatures> context)
    {
        var m = context.Message;
        var run = new StageRunId(StageKind.AudioFeatures, Variant: StageVariants.Of(m.Role));
        return execution.RunAsync(context, m.JobId, run, async stage =>
        {
            var inputs = new { audio = m.Audio.Key, fps = $"{m.FrameRateNumerator}/{m.FrameRateDenominator}", maxSeconds = m.MaxSeconds };
            var manifestKey = ArtifactKeys.ForStage("audio-features", StageVersion, inputs, "features.json");
            var summaryKey = ArtifactKeys.Sibling(manifestKey, "summary.json");

            // summary.json is stored last, so its presence means every file of this run is complete.
            if (await store.StatAsync(summaryKey, stage.CancellationToken) is not null)
            {
                var cached = await store.ReadJsonAsync<FeatureSummary>(summaryKey, stage.CancellationToken);
                return Completed(m, manifestKey, cached, stage, cacheHit: true);
            }

            using var audio = await store.GetLocalFileAsync(m.Audio.Key, stage.CancellationToken);
            var summary = await FeatureExtraction.RunAsync(prober, runner, audio.Path, m.FrameRateNumerator, m.FrameRateDenominator, stage.ScratchDirectory, stage.Progress, stage.CancellationToken, m.MaxSeconds);
            foreach (var file in summary.Files.Values.Where(f => f != "features.json"))
            {
                await store.PutFileAsync(ArtifactKeys.Sibling(manifestKey, file), Path.Combine(stage.ScratchDirectory, file), null, stage.CancellationToken);
            }

            await store.PutFileAsync(manifestKey, Path.Combine(stage.ScratchDirectory, "features.json"), "application/json", stage.CancellationToken);
            await store.PutJsonAsync(summaryKey, summary, stage.CancellationToken);
            return Completed(m, manifestKey, summary, stage, cacheHit: false);
        });
    }

    private static AudioFeaturesExtracted Completed(ExtractAudioFeatures m, string manifestKey, FeatureSummary summary, StageContext stage, bool cacheHit) =>
        new(m.JobId, m.Role, new ArtifactRef(manifestKey, 0, "application/json"), summary.Frames, stage.Report(cacheHit));
}

public sealed class ExtractAudioFeaturesConsumerDefinition : ConsumerDefinition<ExtractAudioFeaturesConsumer>
{
    public ExtractAudioFeaturesConsumerDefinition()
    {
        EndpointName = StageEndpoints.ExtractAudioFeatures;
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExtractAudioFeaturesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
