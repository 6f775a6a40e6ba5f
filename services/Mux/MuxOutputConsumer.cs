using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Mux;

/// <summary>
/// Builds the final file: rendered chunks (or the original video) plus the prepared audio under the job's length
/// policy, the original's subtitles and tags, and its original audio as a second track on request. The video stream
/// is copied untouched whenever the policy allows it. A thumbnail and a preview strip of the result are stored beside it.
/// </summary>
public sealed class MuxOutputConsumer(StageExecution execution, IObjectStore store, MediaEditor editor) : IConsumer<MuxOutput>
{
    // 2: subtitles and tags from the source under rendered chunks; thumbnail and preview strip.
    public const int StageVersion = 2;

    public const string ThumbnailName = "thumb.jpg";
    public const string PreviewName = "preview.jpg";

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
            var thumbKey = ArtifactKeys.ForStage("mux", StageVersion, inputs, ThumbnailName);
            var previewKey = ArtifactKeys.ForStage("mux", StageVersion, inputs, PreviewName);
            if (await store.StatAsync(sidecarKey, stage.CancellationToken) is not null
                && await store.StatAsync(key, stage.CancellationToken) is { } cached
                && await store.StatAsync(thumbKey, stage.CancellationToken) is { } cachedThumb
                && await store.StatAsync(previewKey, stage.CancellationToken) is { } cachedPreview)
            {
                var known = await store.ReadJsonAsync<MuxFacts>(sidecarKey, stage.CancellationToken);
                return new OutputMuxed(
                    message.JobId,
                    new ArtifactRef(key, cached.SizeBytes, ContentType(name)),
                    known.DurationSeconds,
                    known.VideoStreamCopied,
                    stage.Report(cacheHit: true),
                    new ArtifactRef(thumbKey, cachedThumb.SizeBytes, JpegType),
                    new ArtifactRef(previewKey, cachedPreview.SizeBytes, JpegType));
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
                message.Output.KeepOriginalAudio ? video.Path : null,
                MetadataSourcePath: video.Path);
            var result = await editor.MuxAsync(request, stage.Progress, stage.CancellationToken);

            // From the output itself, so they show what was delivered (the redrawn face), not the source. Side by side:
            // each is one short ffmpeg run that mostly waits on seeks, and they are the mux's last seconds.
            var thumbTask = editor.ThumbnailAsync(outputPath, Path.Combine(stage.ScratchDirectory, ThumbnailName), stage.CancellationToken);
            var previewTask = editor.PreviewStripAsync(outputPath, Path.Combine(stage.ScratchDirectory, PreviewName), ct: stage.CancellationToken);
            await Task.WhenAll(thumbTask, previewTask);
            var (thumb, preview) = (await thumbTask, await previewTask);

            // The sidecar goes last: it marks the set complete for the cache check above.
            var stored = await store.PutFileAsync(key, outputPath, ContentType(name), stage.CancellationToken);
            var storedThumb = await store.PutFileAsync(thumbKey, thumb.Path, JpegType, stage.CancellationToken);
            var storedPreview = await store.PutFileAsync(previewKey, preview.Path, JpegType, stage.CancellationToken);
            await store.PutJsonAsync(sidecarKey, new MuxFacts(result.DurationSeconds, result.VideoStreamCopied), stage.CancellationToken);

            return new OutputMuxed(
                message.JobId,
                new ArtifactRef(key, stored.SizeBytes, ContentType(name)),
                result.DurationSeconds,
                result.VideoStreamCopied,
                stage.Report(cacheHit: false),
                new ArtifactRef(thumbKey, storedThumb.SizeBytes, JpegType),
                new ArtifactRef(previewKey, storedPreview.SizeBytes, JpegType));
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

    private const string JpegType = "image/jpeg";

    /// <summary>The media type of a video file the mux worker writes, by its extension.</summary>
    internal static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
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
