using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Mux;

/// <summary>
/// Extends a target video that is shorter than the new speech, under the job's length policy, before its faces are
/// tracked: the same extension the final mux would make (stream copy for loop; one encode for bounce and hold), made
/// first, so every later stage works on the frames the output shows and the lips follow the speech to its end. The
/// final mux then finds the picture as long as the speech and copies it, so there is no extra generation.
/// </summary>
public sealed class PrepareVideoConsumer(StageExecution execution, IObjectStore store, MediaEditor editor) : IConsumer<PrepareVideo>
{
    public const int StageVersion = 2;

    public Task Consume(ConsumeContext<PrepareVideo> context)
    {
        var message = context.Message;
        return execution.RunAsync(context, message.JobId, new StageRunId(StageKind.PrepareVideo), async stage =>
        {
            var name = "video" + Container(message.Video.Key);
            var type = MuxOutputConsumer.ContentType(name);
            var inputs = new { video = message.Video.Key, audio = message.Audio.Key, policy = message.Policy.ToString(), output = message.Output };
            var key = ArtifactKeys.ForStage("prepare-video", StageVersion, inputs, name);
            var summaryKey = ArtifactKeys.ForStage("prepare-video", StageVersion, inputs, "summary.json");
            if (await store.StatAsync(summaryKey, stage.CancellationToken) is not null
                && await store.StatAsync(key, stage.CancellationToken) is { } cached)
            {
                var known = await store.ReadJsonAsync<MediaSummary>(summaryKey, stage.CancellationToken);
                return new VideoPrepared(message.JobId, new ArtifactRef(key, cached.SizeBytes, type), known, stage.Report(cacheHit: true));
            }

            using var video = await store.GetLocalFileAsync(message.Video.Key, stage.CancellationToken);
            using var audio = await store.GetLocalFileAsync(message.Audio.Key, stage.CancellationToken);
            var outputPath = Path.Combine(stage.ScratchDirectory, name);
            // Past the speech's end rather than short of it: the render then draws every frame of the speech (and
            // stops at its last), instead of the final mux looping a frame or two from the start.
            var request = new MuxRequest(video.Path, audio.Path, outputPath, message.Policy, message.Output, PictureCoversAudio: true);
            var muxed = await editor.MuxAsync(request, stage.Progress, stage.CancellationToken);
            var summary = muxed.Output.ToSummary();

            // The summary goes last: it marks the pair complete for the cache check above.
            var stored = await store.PutFileAsync(key, outputPath, type, stage.CancellationToken);
            await store.PutJsonAsync(summaryKey, summary, stage.CancellationToken);
            return new VideoPrepared(message.JobId, new ArtifactRef(key, stored.SizeBytes, type), summary, stage.Report(cacheHit: false));
        });
    }

    // The source's own container when it is mp4 or mov, which keep its time base, so frame times stay exact; Matroska
    // for any other (the mux writes only mp4, mov and mkv), since it holds any codec.
    private static string Container(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => ".mp4",
        ".mov" => ".mov",
        _ => ".mkv",
    };
}

public sealed class PrepareVideoConsumerDefinition : ConsumerDefinition<PrepareVideoConsumer>
{
    public PrepareVideoConsumerDefinition()
    {
        EndpointName = StageEndpoints.PrepareVideo;
        ConcurrentMessageLimit = Math.Max(1, Environment.ProcessorCount / 2);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PrepareVideoConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
