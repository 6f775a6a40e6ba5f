using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Turns a job request into its DAG. Today the dub job tracks the target's face (one run per chunk of the video,
/// fanned out once ingest knows its length), prepares the new audio and muxes; motion and per-chunk rendering slot
/// in between as those stages land.
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
        var audio = new PlanNode(new StageRunId(StageKind.PrepareAudio), [ingest.Name], 0.15);
        var track = new PlanNode(new StageRunId(StageKind.FaceTracking), [ingest.Name], 0.30);
        var mux = new PlanNode(new StageRunId(StageKind.Mux), [audio.Name, track.Name], 0.50);
        return [ingest, audio, track, mux];
    }

    /// <summary>A one-line reason why the request cannot run, or null.</summary>
    public static string? Validate(JobSpec spec) => spec.Mode switch
    {
        JobMode.Dub when spec.Inputs.Video is null => "a dub job needs a video (--video)",
        JobMode.Dub when spec.Inputs.Audio is null => "a dub job needs the new audio (--audio)",
        JobMode.Dub => null,
        _ => $"{spec.Mode.ToString().ToLowerInvariant()} mode is not available yet: it arrives with the rendering stage",
    };
}

/// <summary>The request itself is unusable; the job fails at once with this reason.</summary>
public sealed class JobRejectedException(string reason) : Exception(reason);
