using System.Text.Json;
using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.FaceGeometry;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Features;
using Pipeline.Media;
using Pipeline.Motion.Animate;
using Pipeline.Motion.Prediction;
using Pipeline.Motion.Stage;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Motion;

/// <summary>
/// The dub job's motion stage: reads the target's face track (every chunk) and its own speech, fits the
/// person-specific mouth model on them, drives it with the new speech and stores per-frame landmarks in pixels
/// (<see cref="MotionArtifact"/>). The key is made of every input's key, so a re-run with the same inputs, or a
/// second job with them, reuses the stored motion.
/// </summary>
public sealed class PredictMotionConsumer(StageExecution execution, IObjectStore store, ILogger<PredictMotionConsumer> logger)
    : IConsumer<PredictMotion>
{
    public const int StageVersion = 1;

    private static readonly JsonSerializerOptions SidecarJson = new() { PropertyNameCaseInsensitive = true };

    public Task Consume(ConsumeContext<PredictMotion> context)
    {
        var m = context.Message;
        return execution.RunAsync(context, m.JobId, new StageRunId(StageKind.Motion), async stage =>
        {
            var ct = stage.CancellationToken;
            if (m.Mode is not (JobMode.Dub or JobMode.Animate))
            {
                throw new MediaException(MediaErrorKind.Unsupported, $"motion for {m.Mode.ToString().ToLowerInvariant()} mode is not available yet");
            }

            var inputs = new
            {
                fps = $"{m.FrameRateNumerator}/{m.FrameRateDenominator}",
                newFeatures = m.NewFeatures.Key,
                newContent = m.NewContent.Key,
                newEmotion = m.NewEmotion.Key,
                targetFeatures = m.TargetFeatures?.Key,
                targetContent = m.TargetContent?.Key,
                tracks = m.Tracks.Select(t => t.Key).ToArray(),

                // Animate mode only: dub keys stay as they were, so stored dub motion is still found.
                animate = m.Mode == JobMode.Animate ? new { m.HeadMotion.Style, m.HeadMotion.Seed, Version = AnimateMotion.Version } : null,
            };
            var key = ArtifactKeys.ForStage("motion", StageVersion, inputs, MotionArtifact.Landmarks);
            var sidecarKey = ArtifactKeys.Sibling(key, MotionArtifact.Sidecar);

            // motion.json is stored last, so its presence means every array is complete.
            if (await store.StatAsync(sidecarKey, ct) is not null)
            {
                await using var stored = await store.OpenReadAsync(sidecarKey, ct);
                var known = await JsonSerializer.DeserializeAsync<StoredMotion>(stored, SidecarJson, ct)
                    ?? throw new InvalidDataException($"artifact '{sidecarKey}' holds no JSON value");
                return new MotionPredicted(m.JobId, new ArtifactRef(key, 0, "application/x-npy"), known.Frames, known.Model, stage.Report(cacheHit: true));
            }

            var fps = m.FrameRateNumerator / (double)m.FrameRateDenominator;
            var (track, width, height) = await LoadTrackAsync(m.Tracks, ct);
            var own = m.TargetFeatures is null || m.TargetContent is null
                ? Silence(track.Frames)
                : await LoadSpeechAsync(m.TargetFeatures, m.TargetContent, ct);
            var speech = await LoadSpeechAsync(m.NewFeatures, m.NewContent, ct);
            var emotion = await LoadAsync<float>(m.NewEmotion.Key, ct);
            stage.Progress.Report(0.3);

            MotionResult result;
            if (m.Mode == JobMode.Animate)
            {
                var photo = PhotoFace(track, m.Tracks[0].Key);
                var style = PoseStyle.Parse(m.HeadMotion.Style);
                result = AnimateMotion.Run(photo, width, height, speech, emotion, fps, style, m.HeadMotion.Seed).Motion;
            }
            else
            {
                var target = new TargetFootage(track.Frames, fps, track.Faces, track.Present, track.ToCanonical, own);
                result = DubMotion.Run(target, speech, emotion.Length >= (long)Math.Min(track.Frames, speech.Frames) * EmotionOffsets.RowLength ? emotion : []);
            }

            logger.LogInformation(
                "motion for job {JobId}: {Frames} frames, model {Model} ({Set}), fit {Fit:0.00} s, predict {Predict:0.00} s",
                m.JobId, result.Frames, result.Model, result.Set ?? "-", result.FitSeconds, result.PredictSeconds);
            stage.Progress.Report(0.8);

            var folder = Path.Combine(stage.ScratchDirectory, "motion");
            await MotionArtifact.WriteAsync(folder, result, fps, width, height, null, ct);
            foreach (var file in MotionArtifact.Arrays)
            {
                await store.PutFileAsync(ArtifactKeys.Sibling(key, file), Path.Combine(folder, file), "application/x-npy", ct);
            }

            await store.PutFileAsync(sidecarKey, Path.Combine(folder, MotionArtifact.Sidecar), "application/json", ct);
            return new MotionPredicted(m.JobId, new ArtifactRef(key, 0, "application/x-npy"), result.Frames, result.Model, stage.Report(cacheHit: false));
        });
    }

    // The photo's face in pixels: its track has one frame, which must hold a face.
    private static float[] PhotoFace(CanonicalTrack track, string key)
    {
        if (track.Frames < 1 || track.Present[0] == 0)
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"no face was found in the photo ({key}): animate needs a clearly visible face");
        }

        var face = new float[Landmarks68.FloatCount];
        var t = track.ToCanonical.AsSpan(0, 4);
        new SimilarityTransform(t[0], t[1], t[2], t[3]).Inverse().Apply(track.Faces.AsSpan(0, Landmarks68.FloatCount), face);
        return face;
    }

    // Every chunk's landmarks and presence, in chunk order: the whole video's track.
    private async Task<(CanonicalTrack Track, int Width, int Height)> LoadTrackAsync(IReadOnlyList<ArtifactRef> chunks, CancellationToken ct)
    {
        if (chunks.Count == 0)
        {
            throw new InvalidOperationException("the motion stage needs the target's face track, and no chunk was given");
        }

        var landmarkChunks = new List<float[]>(chunks.Count);
        var presentChunks = new List<byte[]>(chunks.Count);
        int width = 0, height = 0;
        foreach (var chunk in chunks)
        {
            landmarkChunks.Add(await LoadAsync<float>(chunk.Key, ct));
            presentChunks.Add(await LoadAsync<byte>(ArtifactKeys.Sibling(chunk.Key, FaceTrackFiles.Present), ct));
            if (width == 0)
            {
                await using var stream = await store.OpenReadAsync(ArtifactKeys.Sibling(chunk.Key, FaceTrackFiles.Sidecar), ct);
                var sidecar = await FaceTrackSidecar.ReadAsync(stream, ct);
                (width, height) = (sidecar.Width, sidecar.Height);
            }
        }

        // One allocation each, sized from the chunks: no list regrowth over a long title's track.
        var landmarks = Concat(landmarkChunks);
        var present = Concat(presentChunks);
        var frames = Math.Min(present.Length, landmarks.Length / Landmarks68.FloatCount);
        return (CanonicalTrack.From(landmarks, present, frames), width, height);
    }

    private static T[] Concat<T>(List<T[]> parts)
    {
        var all = new T[parts.Sum(p => (long)p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }

        return all;
    }

    private async Task<SpeechTrack> LoadSpeechAsync(ArtifactRef features, ArtifactRef content, CancellationToken ct)
    {
        var visemes = await LoadAsync<float>(content.Key, ct);
        var mfcc = await LoadAsync<float>(ArtifactKeys.Sibling(features.Key, FeatureFileNames.FileOf(FeatureFileNames.Mfcc)), ct);
        var energy = await LoadAsync<float>(ArtifactKeys.Sibling(features.Key, FeatureFileNames.FileOf(FeatureFileNames.Energy)), ct);
        var vad = await LoadAsync<byte>(ArtifactKeys.Sibling(features.Key, FeatureFileNames.FileOf(FeatureFileNames.Vad)), ct);
        var frames = Math.Min(Math.Min(visemes.Length / MotionFeatures.VisemeColumns, mfcc.Length / MotionFeatures.MfccColumns), Math.Min(energy.Length, vad.Length));
        return new SpeechTrack(frames, visemes, mfcc, energy, vad);
    }

    // A target with no sound track: no voiced frame, so the stage uses the generic model.
    private static SpeechTrack Silence(int frames) =>
        new(frames, new float[frames * MotionFeatures.VisemeColumns], new float[frames * MotionFeatures.MfccColumns], Enumerable.Repeat(float.NegativeInfinity, frames).ToArray(), new byte[frames]);

    private async Task<T[]> LoadAsync<T>(string key, CancellationToken ct)
        where T : unmanaged
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        using var reader = NpyReader.Open(stream);
        return reader.ReadAll<T>();
    }

    private sealed record StoredMotion(long Frames, string Model);
}

public sealed class PredictMotionConsumerDefinition : ConsumerDefinition<PredictMotionConsumer>
{
    public PredictMotionConsumerDefinition()
    {
        EndpointName = StageEndpoints.PredictMotion;
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictMotionConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
