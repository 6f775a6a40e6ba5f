using Pipeline.Contracts.Stages;

namespace Pipeline.Api.Orchestration;

/// <summary>One node of a job's DAG: a stage run, what it waits for, and its share of the progress bar.</summary>
public sealed record PlanNode(StageRunId Run, IReadOnlyList<string> DependsOn, double Weight)
{
    public string Name => NodeName(Run);

    /// <summary>"prepare-audio", "features/new-speech", "render/3": unique per job, readable in logs and the stage-run table.</summary>
    public static string NodeName(StageRunId run)
    {
        var name = run.Stage switch
        {
            StageKind.Ingest => "ingest",
            StageKind.PrepareAudio => "prepare-audio",
            StageKind.AudioFeatures => "features",
            StageKind.Encoding => "encoding",
            StageKind.FaceTracking => "track",
            StageKind.Motion => "motion",
            StageKind.Render => "render",
            StageKind.Mux => "mux",
            StageKind.ExemplarBank => "exemplar-bank",
            StageKind.PrepareVideo => "prepare-video",
            _ => run.Stage.ToString().ToLowerInvariant(),
        };
        if (run.Variant is not null)
        {
            name += "/" + run.Variant;
        }

        if (run.ChunkIndex is not null)
        {
            name += "/" + run.ChunkIndex.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
