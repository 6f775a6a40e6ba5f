using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http;

/// <summary>
/// A job as the live event stream sends it: enough to redraw a row of the job list (status, progress, current stage,
/// and a bar per stage run for its timeline) without the stage results <see cref="JobView"/> carries.
/// </summary>
public sealed record JobSummary(
    Guid Id,
    string Mode,
    string Status,
    double Progress,
    string? CurrentStage,
    Guid? BatchId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    string? FailedStage,
    int Version,
    IReadOnlyList<StageBar> Stages)
{
    public static JobSummary Of(JobRecord job) => new(
        job.Id,
        job.Mode.ToString(),
        job.Status.ToString(),
        Math.Round(job.Progress, 4),
        job.CurrentStage,
        job.BatchId,
        job.CreatedAt,
        job.UpdatedAt,
        job.FinishedAt,
        job.Error,
        job.FailedStage,
        job.Version,
        job.Stages.OrderBy(s => s.DispatchedAt ?? DateTimeOffset.MaxValue).ThenBy(s => s.Node, StringComparer.Ordinal)
            .Select(s => new StageBar(s.Node, s.Status.ToString(), Math.Round(s.Progress, 3), s.StartedAt, s.FinishedAt, s.CacheHit))
            .ToList());
}

/// <summary>One stage run in a job's timeline.</summary>
public sealed record StageBar(string Node, string Status, double Progress, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, bool CacheHit);
