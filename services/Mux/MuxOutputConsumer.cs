using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Mux;

/// <summary>
/// Builds the final file: rendered chunks (or the original video) plus the prepared audio under the job's length
/// policy. The video stream is copied untouched whenever the policy allows it.
/// </summary>
public sealed class MuxOutputConsumer(StageExecution execution, IObjectStore store, MediaEditor editor) : IConsumer<MuxOutput>
{
    public const int StageVersion = 1;

    public Task Consume(ConsumeContext<MuxOutput> context)
    {
        var message = context.Message;
        return execution.RunAsync(context, message.JobId, new StageRunId(StageKind.Mux), async stage =>
        {
            var name = ObjectKey.SanitizeName(message.OutputName);
            var inputs = new
            {
                video = message.Video.Key,
                chunks = message.RenderedChunks.Select(c => c.Key).ToArray(),
                audio = message.Audio.Key,
                policy = message.LengthPolicy.ToString(),
                output = message.Output,
            };
            var key = ArtifactKeys.ForStage("mux", StageVersion, inputs, name);
            var sidecarKey = ArtifactKeys.ForStage("mux", StageVersion, inputs, "mux.json");
            if (await store.StatAsync(sidecarKey, stage.CancellationToken) is not null
                && await store.StatAsync(key, stage.CancellationToken) is { } cached)
            {
                var known = await store.ReadJsonAsync<MuxFacts>(sidecarKey, stage.CancellationToken);
                return new OutputMuxed(message.JobId, new ArtifactRef(key, cached.SizeBytes, ContentType(name)), known.DurationSeconds, known.VideoStreamCopied, stage.Report(cacheHit: true));
            }

            using var video = await store.GetLocalFileAsync(message.Video.Key, stage.CancellationToken);
            using var audio = await store.GetLocalFileAsync(message.Audio.Key, stage.CancellationToken);
            var videoPath = await ConcatenateChunksAsync(message.RenderedChunks, video.Path, stage);

            var outputPath = Path.Combine(stage.ScratchDirectory, name);
            var request = new MuxRequest(
                videoPath,
                audio.Path,
                outputPath,
                message.LengthPolicy,
                message.Output,
                message.Output.KeepOriginalAudio ? video.Path : null);
            var result = await editor.MuxAsync(request, stage.Progress, stage.CancellationToken);

            var stored = await store.PutFileAsync(key, outputPath, ContentType(name), stage.CancellationToken);
            await store.PutJsonAsync(sidecarKey, new MuxFacts(result.DurationSeconds, result.VideoStreamCopied), stage.CancellationToken);

            return new OutputMuxed(message.JobId, new ArtifactRef(key, stored.SizeBytes, ContentType(name)), result.DurationSeconds, result.VideoStreamCopied, stage.Report(cacheHit: false));
        });
    }

    /// <summary>With rendered chunks, the chunks in order are the video; without, the original is.</summary>
    private async Task<string> ConcatenateChunksAsync(IReadOnlyList<ArtifactRef> chunks, string original, StageContext stage)
    {
        if (chunks.Count == 0)
        {
            return original;
        }

        var leases = new List<LocalFileLease>(chunks.Count);
        try
        {
            foreach (var chunk in chunks)
            {
                leases.Add(await store.GetLocalFileAsync(chunk.Key, stage.CancellationToken));
            }

            var joined = Path.Combine(stage.ScratchDirectory, "video" + Path.GetExtension(leases[0].Path));
            await editor.ConcatAsync(leases.Select(l => l.Path).ToList(), joined, stage.CancellationToken);
            return joined;
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }
    }

    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".mov" => "video/quicktime",
        ".mkv" => "video/x-matroska",
        _ => "video/mp4",
    };
}

/// <summary>What the mux measured, stored beside the output so a cache hit can answer without probing.</summary>
public sealed record MuxFacts(double DurationSeconds, bool VideoStreamCopied);

public sealed class MuxOutputConsumerDefinition : ConsumerDefinition<MuxOutputConsumer>
{
    public MuxOutputConsumerDefinition()
    {
        EndpointName = StageEndpoints.MuxOutput;
        ConcurrentMessageLimit = Math.Max(1, Environment.ProcessorCount / 2);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MuxOutputConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
