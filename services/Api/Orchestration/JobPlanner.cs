using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Turns a job request into its DAG. The dub job: ingest; then, side by side, the new audio prepared for the mux,
/// the target's face tracked (one run per chunk, fanned out once ingest knows the video's length), and both speech
/// tracks (the new speech and the target's own) analysed and encoded; motion waits for the track and both
/// encodings; the exemplar bank waits for the track; rendering (one run per chunk) waits for motion and the bank;
/// the mux waits for every rendered chunk and the prepared audio. The animate job is the same without the target's
/// own speech and the bank: the photo's face is found once, and the output's frames are the speech's length. Under
/// the loop, bounce and hold policies a dub also extends its video to the speech's length (prepare-video) before
/// tracking, so the lips follow the speech past the video's own end.
/// </summary>
public static class JobPlanner
{
    public static IReadOnlyList<PlanNode> Plan(JobSpec spec)
    {
        var problem = Validate(spec);
        if (problem is not null)
        {
            throw new JobRejectedException(problem);
        }

        var ingest = new PlanNode(new StageRunId(StageKind.Ingest), [], 0.05);
        var audio = new PlanNode(new StageRunId(StageKind.PrepareAudio), [ingest.Name], 0.05);
        var track = new PlanNode(new StageRunId(StageKind.FaceTracking), [ingest.Name], 0.25);
        var newFeatures = new PlanNode(new StageRunId(StageKind.AudioFeatures, Variant: StageVariants.NewSpeech), [ingest.Name], 0.03);
        var targetFeatures = new PlanNode(new StageRunId(StageKind.AudioFeatures, Variant: StageVariants.Target), [ingest.Name], 0.03);
        var newContent = new PlanNode(new StageRunId(StageKind.Encoding, Variant: StageVariants.NewSpeech), [newFeatures.Name], 0.07);
        var targetContent = new PlanNode(new StageRunId(StageKind.Encoding, Variant: StageVariants.Target), [targetFeatures.Name], 0.07);
        var motion = new PlanNode(new StageRunId(StageKind.Motion), [track.Name, newContent.Name, targetContent.Name], 0.05);
        var bank = new PlanNode(new StageRunId(StageKind.ExemplarBank), [track.Name], 0.05);
        var render = new PlanNode(new StageRunId(StageKind.Render), [motion.Name, bank.Name], 0.25);
        var mux = new PlanNode(new StageRunId(StageKind.Mux), [audio.Name, render.Name], 0.10);
        if (spec.Mode == JobMode.Animate)
        {
            // One photo: its face is found once, there is no speech of its own to fit on, and no bank to cut.
            var photoMotion = motion with { DependsOn = [track.Name, newContent.Name] };
            var photoRender = new PlanNode(new StageRunId(StageKind.Render), [photoMotion.Name], 0.60);
            return [ingest, audio, track with { Weight = 0.05 }, newFeatures, newContent, photoMotion, photoRender, mux];
        }

        if (spec.Options.LengthPolicy is LengthPolicy.Loop or LengthPolicy.Bounce or LengthPolicy.Hold)
        {
            // Speech longer than the video: the video is extended first, so the faces are tracked, predicted and
            // redrawn on every frame the output shows (the node does nothing when the video is long enough).
            var prepare = new PlanNode(new StageRunId(StageKind.PrepareVideo), [ingest.Name, audio.Name], 0.05);
            return [ingest, audio, prepare, track with { DependsOn = [prepare.Name] }, newFeatures, targetFeatures, newContent, targetContent, motion, bank, render, mux];
        }

        return [ingest, audio, track, newFeatures, targetFeatures, newContent, targetContent, motion, bank, render, mux];
    }

    /// <summary>Animate mode's head-motion presets (the motion worker's <c>PoseStyle</c> names).</summary>
    public static IReadOnlyList<string> PoseStyleNames { get; } = ["calm", "neutral", "lively"];

    /// <summary>A one-line reason why the request cannot run, or null.</summary>
    public static string? Validate(JobSpec spec) => spec.Mode switch
    {
        JobMode.Dub when spec.Inputs.Video is null => "a dub job needs a video (--video)",
        JobMode.Dub when spec.Inputs.Audio is null => "a dub job needs the new audio (--audio)",
        JobMode.Dub => RenderBackends.Problem(spec.Options.Backend),
        JobMode.Animate when spec.Inputs.Image is null => "an animate job needs a photo (--image)",
        JobMode.Animate when spec.Inputs.Audio is null => "an animate job needs the speech (--audio)",
        JobMode.Animate when RenderBackends.Resolve(spec.Options.Backend, spec.Mode) == RenderBackends.Exemplar =>
            "the exemplar backend needs the speaker's own footage: a photo is animated with the warp backend",
        JobMode.Animate when RenderBackends.Resolve(spec.Options.Backend, spec.Mode) == RenderBackends.Onnx =>
            "the onnx backend redraws the mouth of video frames: a photo is animated with the warp backend",
        JobMode.Animate when !PoseStyleNames.Contains(spec.Options.HeadMotion.Style.Trim().ToLowerInvariant()) =>
            $"unknown pose style '{spec.Options.HeadMotion.Style}': use one of {string.Join(", ", PoseStyleNames)}",
        JobMode.Animate => RenderBackends.Problem(spec.Options.Backend),
        _ => $"{spec.Mode.ToString().ToLowerInvariant()} mode is not available yet: it arrives with the rendering stage",
    };
}

/// <summary>The request itself is unusable; the job fails at once with this reason.</summary>
public sealed class JobRejectedException(string reason) : Exception(reason);
