using System.Text.Json;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>Builds a node's command from the job request and the results of the nodes it depends on.</summary>
public static class StageCommands
{
    /// <summary>
    /// How much of the target's own speech the job analyses: the person-specific mouth model is fitted on the
    /// target's first minutes (cross-validation shows whether they are enough), so a feature-length title does not
    /// cost an hour of phone recognition. Motion still uses every frame's face for pose and placement.
    /// </summary>
    public const double TargetSpeechSeconds = 300;

    /// <summary>The exemplar bank is chosen from this much of the target: minutes hold every mouth shape a speaker makes.</summary>
    public const double ExemplarBankSeconds = 300;

    /// <summary>
    /// The node's command, or null when the node has nothing to do for this job and counts as done at once: the
    /// target's own speech when its video has no sound track (motion then uses the generic model).
    /// </summary>
    public static object? Build(JobRecord job, JobSpec spec, StageRunRecord run)
    {
        return run.Stage switch
        {
            StageKind.Ingest => new IngestMedia(job.Id, spec.Mode, spec.Inputs),
            StageKind.PrepareAudio => new PrepareAudio(job.Id, spec.Inputs.Audio!),
            StageKind.PrepareVideo => PrepareVideo(job, spec),
            StageKind.AudioFeatures => Features(job, spec, RoleOf(run)),
            StageKind.Encoding => Encoding(job, spec, RoleOf(run)),
            StageKind.Motion => Motion(job, spec),
            StageKind.ExemplarBank => Bank(job, spec),
            StageKind.Mux => new MuxOutput(
                job.Id,
                Picture(spec),
                ResultOf<List<ChunkRendered>>(job, "render").OrderBy(c => c.ChunkIndex).Select(c => c.Chunk).ToList(),
                ResultOf<AudioPrepared>(job, "prepare-audio").Pcm,
                spec.Options.LengthPolicy,
                spec.Options.Output,
                spec.OutputName ?? "output.mp4"),
            _ => throw new InvalidOperationException($"no command for stage {run.Stage} yet"),
        };
    }

    private static AudioRole RoleOf(StageRunRecord run) => run.Variant == StageVariants.Target ? AudioRole.TargetOriginal : AudioRole.NewSpeech;

    // The node of a per-speech-track stage, named as the planner named it.
    private static string Node(StageKind stage, AudioRole role) => PlanNode.NodeName(new StageRunId(stage, Variant: StageVariants.Of(role)));

    /// <summary>
    /// The frames the job produces: the target video's own in dub mode; in animate mode the photo held for the
    /// speech's length at <see cref="AnimateFramesPerSecond"/>, so every per-frame artifact uses that clock.
    /// </summary>
    private static MediaSummary IngestedVideo(JobRecord job)
    {
        var ingested = ResultOf<MediaIngested>(job, "ingest");
        if (ingested.Video is { } video)
        {
            return video;
        }

        var image = ingested.Image ?? throw new InvalidOperationException($"job {job.Id}: ingest found no video or photo");
        var seconds = ingested.Audio?.DurationSeconds ?? throw new InvalidOperationException($"job {job.Id}: ingest found no audio");
        var frames = Math.Max(1, (long)Math.Ceiling((seconds * AnimateFramesPerSecond) - 1e-6));
        return image with { DurationSeconds = frames / (double)AnimateFramesPerSecond, FrameRateNumerator = AnimateFramesPerSecond, FrameRateDenominator = 1, FrameCount = frames, HasAudio = false };
    }

    /// <summary>Animate mode's output frame rate: the rate talking-head datasets and models are made at.</summary>
    public const int AnimateFramesPerSecond = 25;

    /// <summary>The video extended to the speech's length, or null when <see cref="ExtendsVideo"/> says nothing needs it.</summary>
    private static PrepareVideo? PrepareVideo(JobRecord job, JobSpec spec)
    {
        var ingested = ResultOf<MediaIngested>(job, "ingest");
        return !ExtendsVideo(ingested.Video, ingested.Audio)
            ? null
            : new PrepareVideo(job.Id, spec.Inputs.Video!, ResultOf<AudioPrepared>(job, "prepare-audio").Pcm, spec.Options.LengthPolicy, spec.Options.Output);
    }

    /// <summary>
    /// Whether the speech (by ingest's probe) ends more than half a frame past the picture, so a policy that outlasts
    /// the video must extend it. The picture's length is its frames' (a file's own sound may run on past its last frame).
    /// </summary>
    internal static bool ExtendsVideo(MediaSummary? video, MediaSummary? speech)
    {
        if (video is null || speech is null)
        {
            return false;
        }

        var fps = video.FramesPerSecond;
        var picture = fps > 0 && video.FrameCount > 0 ? video.FrameCount / fps : video.DurationSeconds;
        return speech.DurationSeconds > picture + (fps > 0 ? 0.5 / fps : 0.02);
    }

    private const string PrepareVideoNode = "prepare-video";

    /// <summary>The prepare-video node's result: null when the job plans none or it had nothing to extend.</summary>
    private static VideoPrepared? Prepared(JobRecord job) =>
        job.Stages.Any(s => s.Node == PrepareVideoNode) ? TryResultOf<VideoPrepared>(job, PrepareVideoNode) : null;

    /// <summary>The picture faces are tracked on, banked from and redrawn in: the extended video when there is one.</summary>
    private static ArtifactRef TrackedVideo(JobRecord job, JobSpec spec) => Prepared(job)?.Video ?? Picture(spec);

    /// <summary>The picture the face comes from: the target video, or the photo.</summary>
    private static ArtifactRef Picture(JobSpec spec) =>
        spec.Inputs.Video ?? spec.Inputs.Image ?? throw new InvalidOperationException("the job has neither a video nor a photo");

    // Speech features on the video's frame clock, so every per-frame artifact lines up with the frames.
    private static ExtractAudioFeatures? Features(JobRecord job, JobSpec spec, AudioRole role)
    {
        var video = IngestedVideo(job);
        if (role == AudioRole.TargetOriginal && !video.HasAudio)
        {
            return null;
        }

        return role == AudioRole.NewSpeech
            ? new ExtractAudioFeatures(job.Id, role, spec.Inputs.Audio!, video.FrameRateNumerator, video.FrameRateDenominator)
            : new ExtractAudioFeatures(job.Id, role, spec.Inputs.Video!, video.FrameRateNumerator, video.FrameRateDenominator, TargetSpeechSeconds);
    }

    private static EncodeContentAndEmotion? Encoding(JobRecord job, JobSpec spec, AudioRole role)
    {
        var features = TryResultOf<AudioFeaturesExtracted>(job, Node(StageKind.AudioFeatures, role));
        if (features is null)
        {
            return null;
        }

        var video = IngestedVideo(job);
        var (audio, emotion) = role == AudioRole.NewSpeech
            ? (spec.Inputs.Audio!, spec.Options.Emotion)
            : (spec.Inputs.Video!, EmotionSpec.Neutral); // the target's own speech is read for its content only
        return new EncodeContentAndEmotion(job.Id, role, audio, features.Features, video.FrameRateNumerator, video.FrameRateDenominator, features.Frames, emotion);
    }

    private static PredictMotion Motion(JobRecord job, JobSpec spec)
    {
        var video = IngestedVideo(job);
        var newFeatures = ResultOf<AudioFeaturesExtracted>(job, Node(StageKind.AudioFeatures, AudioRole.NewSpeech));
        var newContent = ResultOf<ContentAndEmotionEncoded>(job, Node(StageKind.Encoding, AudioRole.NewSpeech));
        // Animate mode plans no target speech: there is nothing of the photo's own to fit on.
        var ownSpeech = job.Stages.Any(s => s.Node == Node(StageKind.Encoding, AudioRole.TargetOriginal));
        var targetFeatures = ownSpeech ? TryResultOf<AudioFeaturesExtracted>(job, Node(StageKind.AudioFeatures, AudioRole.TargetOriginal)) : null;
        var targetContent = ownSpeech ? TryResultOf<ContentAndEmotionEncoded>(job, Node(StageKind.Encoding, AudioRole.TargetOriginal)) : null;
        var tracks = Tracks(job).Select(t => t.Track).ToList();
        return new PredictMotion(
            job.Id, spec.Mode, video.FrameRateNumerator, video.FrameRateDenominator,
            newFeatures.Features, newContent.Content, newContent.Emotion,
            targetFeatures?.Features, targetContent?.Content, tracks, spec.Options.HeadMotion);
    }

    // The bank is the exemplar backend's alone: another backend skips the node.
    private static BuildExemplarBank? Bank(JobRecord job, JobSpec spec) =>
        RenderBackends.Resolve(spec.Options.Backend, spec.Mode) != RenderBackends.Exemplar
            ? null
            : new BuildExemplarBank(job.Id, TrackedVideo(job, spec), Tracks(job).Select(t => t.Track).ToList(), ExemplarBankSeconds);

    private static List<FacesTracked> Tracks(JobRecord job) => ResultOf<List<FacesTracked>>(job, "track").OrderBy(t => t.ChunkIndex).ToList();

    /// <summary>
    /// The command of a run that was dispatched before, built again to re-send it: a chunk run's is its own entry in
    /// its template's <see cref="BuildChunks"/> (the chunk plan is a pure function of the ingest result, so the
    /// chunk numbers match the runs'). Null for a node with nothing to do.
    /// </summary>
    public static object? Rebuild(JobRecord job, JobSpec spec, StageRunRecord run)
    {
        if (run.ChunkIndex is null)
        {
            return IsFanOut(run) ? throw new InvalidOperationException($"{run.Node} is a fan-out template: re-send its chunks") : Build(job, spec, run);
        }

        var template = job.Stages.SingleOrDefault(s => s.Stage == run.Stage && s.Variant == run.Variant && s.ChunkIndex is null)
            ?? throw new InvalidOperationException($"job {job.Id} has no template for {run.Node}");
        return BuildChunks(job, spec, template).Single(c => c.Run.ChunkIndex == run.ChunkIndex).Command;
    }

    /// <summary>A template node that becomes one run per chunk of the target video when it is dispatched.</summary>
    public static bool IsFanOut(StageRunRecord run) => run.Stage is StageKind.FaceTracking or StageKind.Render && run.ChunkIndex is null;

    /// <summary>The chunk runs of a fan-out template and their commands; the template's weight is shared among them.</summary>
    public static IReadOnlyList<(StageRunRecord Run, object Command)> BuildChunks(JobRecord job, JobSpec spec, StageRunRecord template)
    {
        // A photo is one frame: its face is found once, and every render chunk draws from that one track.
        var still = spec.Mode == JobMode.Animate;
        var chunks = still && template.Stage == StageKind.FaceTracking
            ? [new ChunkRange(0, 0, 1, 0, 1.0 / AnimateFramesPerSecond)]
            : VideoChunks.Plan(Prepared(job)?.Summary ?? IngestedVideo(job));
        if (template.Stage == StageKind.Render && !still)
        {
            chunks = WithinOutput(chunks, ResultOf<MediaIngested>(job, "ingest").Audio, spec.Options.LengthPolicy);
        }

        var render = template.Stage == StageKind.Render ? RenderInputs(job, spec) : default;
        var picture = TrackedVideo(job, spec);
        return chunks.Select(chunk =>
        {
            var id = new StageRunId(template.Stage, chunk.Index, template.Variant);
            var run = new StageRunRecord
            {
                JobId = job.Id,
                Node = PlanNode.NodeName(id),
                Stage = template.Stage,
                ChunkIndex = chunk.Index,
                Variant = template.Variant,
                DependsOn = template.DependsOn,
                Weight = template.Weight / chunks.Count,
                Status = StageRunStatus.Dispatched,
                DispatchedAt = template.DispatchedAt,
            };
            object command = template.Stage switch
            {
                StageKind.FaceTracking => new TrackFaces(job.Id, picture, chunk, spec.Options.Face),
                StageKind.Render => new RenderChunk(
                    job.Id, chunk, picture, render.Motion, render.Tracks[still ? 0 : chunk.Index], render.Backend, spec.Options.Output, render.Bank, render.Features,
                    StillImageFps: still ? AnimateFramesPerSecond : 0),
                _ => throw new InvalidOperationException($"stage {template.Stage} does not fan out"),
            };
            return (run, command);
        }).ToList();
    }

    /// <summary>
    /// The render chunks the output shows, and of the last only the frames it shows. Under every policy but
    /// <see cref="LengthPolicy.Pad"/> a dub lasts no longer than its speech, so frames past the speech's end would be
    /// rendered only for the mux to cut them (a 38 s video dubbed with 12 s of speech rendered 40 s of frames for 12 s
    /// of output), and a copy cut keeps whole packets, so it could end the picture a few frames early. Rendering
    /// exactly the speech's frames (rounded half up, on the video's clock) lets the mux copy the picture whole. Chunks
    /// keep their numbers and starts, so each still matches its track.
    /// </summary>
    internal static IReadOnlyList<ChunkRange> WithinOutput(IReadOnlyList<ChunkRange> chunks, MediaSummary? speech, LengthPolicy policy)
    {
        if (policy == LengthPolicy.Pad || speech is not { DurationSeconds: > 0 } || chunks.Count == 0 || chunks[0].DurationSeconds <= 0)
        {
            return chunks;
        }

        // The first chunk always stays, with a frame at least: a mux needs a picture even for speech shorter than one.
        var fps = chunks[0].FrameCount / chunks[0].DurationSeconds;
        var frames = Math.Max(1, (long)Math.Round(speech.DurationSeconds * fps, MidpointRounding.AwayFromZero));
        return chunks
            .Where(c => c.Index == 0 || c.StartFrame < frames)
            .Select(c => (Chunk: c, Shown: (int)Math.Max(1, Math.Min(c.FrameCount, frames - c.StartFrame))))
            .Select(x => x.Shown == x.Chunk.FrameCount ? x.Chunk : x.Chunk with { FrameCount = x.Shown, DurationSeconds = x.Shown / fps })
            .ToList();
    }

    // What every render chunk shares: the motion, the tracks (one per chunk, the same plan), the backend and its bank;
    // for the onnx backend, the new speech's features (its model reads the wav2lip mel beside them).
    private static (ArtifactRef Motion, IReadOnlyList<ArtifactRef> Tracks, BackendSpec Backend, ArtifactRef? Bank, ArtifactRef? Features) RenderInputs(JobRecord job, JobSpec spec)
    {
        var backend = spec.Options.Backend with { Name = RenderBackends.Resolve(spec.Options.Backend, spec.Mode) };
        var bankNode = PlanNode.NodeName(new StageRunId(StageKind.ExemplarBank));
        var bank = job.Stages.Any(s => s.Node == bankNode) ? TryResultOf<ExemplarBankBuilt>(job, bankNode) : null;
        var motion = ResultOf<MotionPredicted>(job, PlanNode.NodeName(new StageRunId(StageKind.Motion)));
        var features = backend.Name == RenderBackends.Onnx
            ? ResultOf<AudioFeaturesExtracted>(job, Node(StageKind.AudioFeatures, AudioRole.NewSpeech)).Features
            : null;
        return (motion.Motion, Tracks(job).Select(t => t.Track).ToList(), backend, bank?.Bank, features);
    }

    public static T ResultOf<T>(JobRecord job, string node) =>
        TryResultOf<T>(job, node)
            ?? throw new InvalidOperationException($"node '{node}' of job {job.Id} was skipped: it has no result");

    /// <summary>The node's result, or null when the node was skipped (it had nothing to do for this job).</summary>
    public static T? TryResultOf<T>(JobRecord job, string node)
    {
        var run = job.Stages.SingleOrDefault(s => s.Node == node)
            ?? throw new InvalidOperationException($"job {job.Id} has no node '{node}'");
        if (run.ResultJson is null)
        {
            throw new InvalidOperationException($"node '{node}' of job {job.Id} has no result yet");
        }

        return JsonSerializer.Deserialize<T>(run.ResultJson, JobJson.Options);
    }
}
