using Pipeline.Api.Persistence;

namespace Pipeline.Api.Orchestration;

/// <summary>State changes on a loaded job that both the orchestrator and the dispatch watchdog make.</summary>
internal static class JobTransitions
{
    /// <summary>Fails the job with the reason; its unfinished runs are cancelled.</summary>
    public static void Fail(JobRecord job, string stage, string reason, string kind, DateTimeOffset now)
    {
        job.Status = JobStatus.Failed;
        job.Error = reason;
        job.ErrorKind = kind;
        job.FailedStage = stage;
        job.FinishedAt = now;
        foreach (var run in job.Stages.Where(s => !s.IsFinished))
        {
            run.Status = StageRunStatus.Cancelled;
            run.FinishedAt = now;
        }

        Touch(job, now);
    }

    /// <summary>
    /// Marks the job changed: the version bump is what makes a concurrent writer's save fail (and retry from the
    /// database), so every transition that changes anything about a job or its runs must call this (or
    /// <see cref="Stamp"/>). Needs every run of the job loaded: it rolls their progress up into the job's.
    /// </summary>
    public static void Touch(JobRecord job, DateTimeOffset now)
    {
        Stamp(job, now);
        if (!job.IsFinished)
        {
            job.Progress = Progress(job.Stages.Select(s => (s.Weight, s.Status, s.Progress)));
        }
    }

    /// <summary>
    /// The version bump and time stamp of <see cref="Touch"/> alone, for a transition that loaded only the runs it
    /// changes and leaves the job's progress as it was (or rolls it up itself).
    /// </summary>
    public static void Stamp(JobRecord job, DateTimeOffset now)
    {
        job.UpdatedAt = now;
        job.Version++;
    }

    /// <summary>The job's progress: its runs' progress, each weighted by its share of the job.</summary>
    public static double Progress(IEnumerable<(double Weight, StageRunStatus Status, double Progress)> runs)
    {
        double total = 0, done = 0;
        foreach (var (weight, status, progress) in runs)
        {
            total += weight;
            done += weight * (status == StageRunStatus.Succeeded ? 1 : progress);
        }

        return total <= 0 ? 0 : done / total;
    }
}
