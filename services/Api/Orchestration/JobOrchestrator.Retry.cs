using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Retrying a failed or cancelled job in place: the same job id and stage runs, their attempt rows kept as history.
/// </summary>
public sealed partial class JobOrchestrator
{
    public async Task RetryAsync(ConsumeContext context, RetryJob message)
    {
        db.ChangeTracker.Clear();
        var job = await db.Jobs.Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == message.JobId, context.CancellationToken);
        // A job refused at submit has no stage runs: running it again would leave it queued for ever.
        if (job is null || job.Status is not (JobStatus.Failed or JobStatus.Cancelled) || job.Stages.Count == 0)
        {
            // A second retry of the same failure (or one that raced a cancel) finds the job already moving.
            logger.LogInformation("job {JobId} is {Status}: nothing to retry", message.JobId, job?.Status.ToString() ?? "unknown");
            return;
        }

        var now = clock.GetUtcNow();
        var resend = message.Scope == RetryScope.Job ? ResetWholeJob(job) : ResetUnfinishedRuns(job, now);
        job.Status = JobStatus.Queued;
        job.Error = null;
        job.ErrorKind = null;
        job.FailedStage = null;
        job.FinishedAt = null;
        job.CurrentStage = null;
        logger.LogInformation("job {JobId} retried ({Scope}): {Runs} runs re-sent", job.Id, message.Scope, resend.Count);

        // The chunk runs re-sent here are saved with everything AdvanceAsync dispatches, before any command leaves.
        var spec = JsonSerializer.Deserialize<JobSpec>(job.SpecJson, JobJson.Options)!;
        var commands = resend.Select(run => StageCommands.Rebuild(job, spec, run)).OfType<object>().ToList();
        await AdvanceAsync(context, job);
        await context.PublishUnlessInterruptedAsync(new JobRetried(job.Id, message.Scope, now));
        foreach (var command in commands)
        {
            await context.SendUnlessInterruptedAsync(command);
        }
    }

    /// <summary>
    /// Scope failed-stage: every run that did not succeed runs again; succeeded runs keep their results. A fan-out
    /// whose chunks exist keeps them: its failed or cut-off chunks are re-sent as they are (returned), and the
    /// template waits for them as before. Every other unfinished run goes back to pending for AdvanceAsync.
    /// </summary>
    private static List<StageRunRecord> ResetUnfinishedRuns(JobRecord job, DateTimeOffset now)
    {
        var resend = new List<StageRunRecord>();
        foreach (var run in job.Stages.Where(s => s.Status != StageRunStatus.Succeeded))
        {
            var fannedOut = StageCommands.IsFanOut(run) && ChunksOf(job, run).Any();
            Clear(run);
            if (fannedOut)
            {
                run.Status = StageRunStatus.Dispatched;
                run.DispatchedAt = now;
            }
            else if (run.ChunkIndex is not null)
            {
                run.Status = StageRunStatus.Dispatched;
                run.DispatchedAt = now;
                resend.Add(run);
            }
        }

        return resend;
    }

    /// <summary>
    /// Scope job: every run goes back to pending. Chunk runs wait on their own template, which cannot succeed before
    /// them, so AdvanceAsync never dispatches them alone: the template's fan-out takes them over again
    /// (<see cref="AddChunkRun"/>), keeping their ids and so their attempt history.
    /// </summary>
    private static List<StageRunRecord> ResetWholeJob(JobRecord job)
    {
        job.OutputKey = null;
        job.OutputSizeBytes = null;
        foreach (var run in job.Stages)
        {
            Clear(run);
            if (run.ChunkIndex is not null)
            {
                var template = job.Stages.Single(s => s.Stage == run.Stage && s.Variant == run.Variant && s.ChunkIndex is null);
                run.DependsOn = template.Node;
            }
        }

        return [];
    }

    /// <summary>A run as it was planned: pending, with no result, error, timings or watchdog counts.</summary>
    private static void Clear(StageRunRecord run)
    {
        run.Status = StageRunStatus.Pending;
        run.Progress = 0;
        run.Worker = null;
        run.DispatchedAt = null;
        run.StartedAt = null;
        run.LastActivityAt = null;
        run.FinishedAt = null;
        run.WorkSeconds = null;
        run.CacheHit = false;
        run.ResultJson = null;
        run.Error = null;
        run.Redispatches = 0;
        run.Stalls = 0;
    }

    private static IEnumerable<StageRunRecord> ChunksOf(JobRecord job, StageRunRecord template) =>
        job.Stages.Where(s => s.Stage == template.Stage && s.Variant == template.Variant && s.ChunkIndex is not null);

    /// <summary>
    /// Records a chunk run of a fan-out being dispatched. A job retried in place already has the row (the chunk plan
    /// is a pure function of the ingest result, so the names match): it is taken over, keeping its id, weight and
    /// attempts, instead of a second row with the same node.
    /// </summary>
    private void AddChunkRun(JobRecord job, StageRunRecord chunk)
    {
        if (job.Stages.SingleOrDefault(s => s.Node == chunk.Node) is not { } existing)
        {
            // Added explicitly: the key is client-generated, so EF would otherwise take it for an existing row.
            db.StageRuns.Add(chunk);
            job.Stages.Add(chunk);
            return;
        }

        existing.Status = chunk.Status;
        existing.DependsOn = chunk.DependsOn;
        existing.DispatchedAt = chunk.DispatchedAt;
    }
}
