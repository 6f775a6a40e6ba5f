using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Turns a job request into its DAG. The dub job: ingest; then, side by side, the new audio prepared for the mux,
/// the target's face tracked (one run per chunk, fanned out once ingest knows the video's length), and both speech
/// tracks (the new speech and the target's own) analysed and encoded; motion waits for the track and both
/// encodings; the exemplar bank waits for the track; rendering (one run per chunk) waits for motion and the bank;
/// the mux waits for every rendered chunk and the prepared audio.
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
        return [ingest, audio, track, newFeatures, targetFeatures, newContent, targetContent, motion, bank, render, mux];
    }

    /// <summary>A one-line reason why the request cannot run, or null.</summary>
    public static string? Validate(JobSpec spec) => spec.Mode switch
    {
        JobMode.Dub when spec.Inputs.Video is null => "a dub job needs a video (--video)",
        JobMode.Dub when spec.Inputs.Audio is null => "a dub job needs the new audio (--audio)",
        JobMode.Dub => RenderBackends.Problem(spec.Options.Backend),
        _ => $"{spec.Mode.ToString().ToLowerInvariant()} mode is not available yet: it arrives with the rendering stage",
    };
}

/// <summary>The request itself is unusable; the job fails at once with this reason.</summary>
public sealed class JobRejectedException(string reason) : Exception(reason);
