using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.FaceGeometry;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Media;
using Pipeline.Features;
using Pipeline.Render.Chunks;
using Pipeline.Render.Onnx;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Render;

/// <summary>
/// The render stage, one chunk at a time: the chunk's frames with their lower face redrawn to the predicted motion,
/// encoded with the job's output settings. Keyed by every input, so a retried or repeated chunk is a cache hit.
/// </summary>
public sealed class RenderChunkConsumer(
    StageExecution execution, IObjectStore store, ChunkRenderer renderer, PortraitChunkRenderer portraits, OnnxModels models, ILogger<RenderChunkConsumer> logger)
    : IConsumer<RenderChunk>
{
    /// <summary>Part of every chunk's key: raised when the drawing changes, so stored chunks drawn the old way are not reused (2: the exemplar's membrane correction; 3: 10-bit sources stay 10-bit).</summary>
    public const int StageVersion = 3;

    public Task Consume(ConsumeContext<RenderChunk> context)
    {
        var m = context.Message;
        return execution.RunAsync(context, m.JobId, new StageRunId(StageKind.Render, m.Chunk.Index), async stage =>
        {
            var ct = stage.CancellationToken;
            var encode = EncodeSettings.From(m.Output);
            var onnx = m.Backend.Name == RenderBackends.Onnx;
            if (onnx && (m.Backend.ModelManifestKey is null || m.Features is null))
            {
                throw new MediaException(MediaErrorKind.Unsupported, "the onnx backend needs a model manifest and the new speech's features: the render command lacks one");
            }

            // The onnx backend's output also depends on its model (the manifest's key names the model's) and the speech; the
            // other backends' keys are as they were, so their cached chunks stay valid.
            object inputs = onnx
                ? new
                {
                    video = m.Video.Key,
                    start = m.Chunk.StartFrame,
                    frames = m.Chunk.FrameCount,
                    motion = m.Motion.Key,
                    track = m.Track.Key,
                    backend = m.Backend.Name,
                    manifest = m.Backend.ModelManifestKey,
                    features = m.Features!.Key,
                    codec = encode.Codec,
                    crf = encode.Crf,
                    preset = encode.Preset,
                }
                : new
                {
                    video = m.Video.Key,
                    start = m.Chunk.StartFrame,
                    frames = m.Chunk.FrameCount,
                    motion = m.Motion.Key,
                    track = m.Track.Key,
                    bank = m.Bank?.Key,
                    backend = m.Backend.Name,
                    codec = encode.Codec,
                    crf = encode.Crf,
                    preset = encode.Preset,

                    // Animate mode only: dub keys stay as they were.
                    still = m.StillImageFps > 0 ? new { fps = m.StillImageFps, version = PortraitChunkRenderer.Version } : null,
                };
            var key = ArtifactKeys.ForStage("render", StageVersion, inputs, "chunk.mp4");
            var factsKey = ArtifactKeys.Sibling(key, "chunk.json");
            if (await store.StatAsync(factsKey, ct) is not null && await store.StatAsync(key, ct) is { } cached)
            {
                var known = await store.ReadJsonAsync<ChunkFacts>(factsKey, ct);
                return new ChunkRendered(m.JobId, m.Chunk.Index, new ArtifactRef(key, cached.SizeBytes, "video/mp4"), known.Frames, known.FacesDrawn, stage.Report(cacheHit: true));
            }

            var tracked = await store.ReadAsync<float>(m.Track.Key, ct);
            var trackedPresent = await store.ReadAsync<byte>(ArtifactKeys.Sibling(m.Track.Key, FaceTrackFiles.Present), ct);
            var (predicted, predictedPresent) = await MotionOfChunkAsync(m.Motion, m.Chunk, ct);
            var bank = m.Bank is null ? null : await store.ReadBankAsync(m.Bank.Key, ct);
            var model = onnx ? new OnnxInputs(await LoadModelAsync(m.Backend.ModelManifestKey!, ct), await ReadMelAsync(m.Features!, ct)) : null;
            using var video = await store.GetLocalFileAsync(m.Video.Key, ct);

            var job = new ChunkRenderJob(video.Path, m.Chunk, tracked, trackedPresent, predicted, predictedPresent, m.Backend.Name, bank, encode, model);
            var output = Path.Combine(stage.ScratchDirectory, "chunk.mp4");
            var summary = m.StillImageFps > 0
                ? await portraits.RunAsync(job, m.StillImageFps, output, stage.Progress, ct)
                : await renderer.RunAsync(job, output, stage.Progress, ct);
            logger.LogInformation(
                "rendered chunk {Chunk} of job {JobId} ({Backend}): {Frames} frames, {Faces} redrawn, {Switches} exemplar changes; decode {Decode:0.0} s, draw {Draw:0.0} s (inference {Inference:0.0} s), encode {Encode:0.0} s",
                m.Chunk.Index, m.JobId, m.Backend.Name, summary.Frames, summary.FacesDrawn, summary.Switches, summary.DecodeSeconds, summary.DrawSeconds, summary.InferenceSeconds, summary.EncodeSeconds);

            var stored = await store.PutFileAsync(key, output, "video/mp4", ct);
            await store.PutJsonAsync(factsKey, new ChunkFacts(summary.Frames, summary.FacesDrawn), ct);
            return new ChunkRendered(m.JobId, m.Chunk.Index, new ArtifactRef(key, stored.SizeBytes, "video/mp4"), summary.Frames, summary.FacesDrawn, stage.Report(cacheHit: false));
        });
    }

    private async Task<(float[] Landmarks, byte[] Present)> MotionOfChunkAsync(ArtifactRef motion, ChunkRange chunk, CancellationToken ct)
    {
        var all = await store.ReadAsync<float>(motion.Key, ct);
        var present = await store.ReadAsync<byte>(ArtifactKeys.Sibling(motion.Key, "present.npy"), ct);
        return ChunkMotion.Slice(all, present, chunk);
    }

    // A model that cannot load fails the job once, with its reason: retrying would not change the manifest or the machine.
    private async Task<Wav2LipModel> LoadModelAsync(string manifestKey, CancellationToken ct)
    {
        try
        {
            return await models.GetAsync(manifestKey, ct);
        }
        catch (Exception e) when (e is ModelManifestException or InvalidOperationException)
        {
            throw new MediaException(MediaErrorKind.Unsupported, e.Message);
        }
    }

    // The new speech's wav2lip mel ([rows, 80] at 80 Hz), the sibling of its features.json.
    private async Task<float[]> ReadMelAsync(ArtifactRef features, CancellationToken ct)
    {
        var key = ArtifactKeys.Sibling(features.Key, FeatureFileNames.FileOf(FeatureFileNames.Wav2LipMel));
        await using var stream = await store.OpenReadAsync(key, ct);
        using var reader = NpyReader.Open(stream);
        if (reader.Info.Shape.Count != 2 || reader.Info.Shape[1] != Wav2LipMelBands)
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"{key} is [{string.Join(", ", reader.Info.Shape)}], the onnx backend needs [rows, {Wav2LipMelBands}]");
        }

        return reader.ReadAll<float>();
    }

    private const int Wav2LipMelBands = 80;

    private sealed record ChunkFacts(long Frames, long FacesDrawn);
}

public sealed class RenderChunkConsumerDefinition : ConsumerDefinition<RenderChunkConsumer>
{
    public RenderChunkConsumerDefinition()
    {
        EndpointName = StageEndpoints.RenderChunk;

        // A chunk decodes, draws and encodes side by side and keeps two cores busy on its own. A chunk per core was
        // measured on 2 cores (60 s of 720p): no faster (render 73 s either way) and 1.56 GB peak instead of 0.99 GB.
        // On a GPU machine, one chunk per GPU. Bus:Endpoints:render-chunk overrides either.
        var gpus = EndpointLimits.GpuCount();
        ConcurrentMessageLimit = gpus > 0 ? gpus : Math.Max(1, Environment.ProcessorCount / 2);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RenderChunkConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
