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
    /// database), so every transition that changes anything about a job or its runs must call this.
    /// </summary>
    public static void Touch(JobRecord job, DateTimeOffset now)
    {
        job.UpdatedAt = now;
        job.Version++;
        if (!job.IsFinished)
        {
            var total = job.Stages.Sum(s => s.Weight);
            var done = job.Stages.Sum(s => s.Weight * (s.Status == StageRunStatus.Succeeded ? 1 : s.Progress));
            job.Progress = total <= 0 ? 0 : done / total;
        }
    }
}
