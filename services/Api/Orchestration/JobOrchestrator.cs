using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// The job DAG's transitions. Each one loads the job, changes it, saves it (the version column rejects a
/// concurrent writer, and the consumer retries), and only then sends the next commands. Every transition is
/// idempotent: a redelivered event finds its stage run already finished and changes nothing.
/// </summary>
public sealed partial class JobOrchestrator(JobDbContext db, TimeProvider clock, ILogger<JobOrchestrator> logger) : IWarmUp
{
    /// <summary>How stale a run's activity stamp may get before a progress event that moves nothing refreshes it.</summary>
    public static readonly TimeSpan HeartbeatResolution = TimeSpan.FromMinutes(1);

    public async Task SubmitAsync(ConsumeContext context, SubmitJob message)
    {
        db.ChangeTracker.Clear();
        if (await db.Jobs.AnyAsync(j => j.Id == message.JobId, context.CancellationToken))
        {
            logger.LogInformation("job {JobId} already submitted", message.JobId);
            return;
        }

        var now = clock.GetUtcNow();
        var job = new JobRecord
        {
            Id = message.JobId,
            TenantId = message.TenantId,
            BatchId = message.BatchId,
            Mode = message.Spec.Mode,
            Status = JobStatus.Queued,
            SpecJson = JsonSerializer.Serialize(message.Spec, JobJson.Options),
            CreatedAt = now,
            UpdatedAt = now,
        };

        IReadOnlyList<PlanNode> plan;
        try
        {
            plan = JobPlanner.Plan(message.Spec);
        }
        catch (JobRejectedException ex)
        {
            JobTransitions.Fail(job, "submit", ex.Message, "InvalidRequest", now);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(context.CancellationToken);
            await context.PublishUnlessInterruptedAsync(new JobFailed(job.Id, "submit", ex.Message, "InvalidRequest", now));
            return;
        }

        foreach (var node in plan)
        {
            job.Stages.Add(new StageRunRecord
            {
                JobId = job.Id,
                Node = node.Name,
                Stage = node.Run.Stage,
                ChunkIndex = node.Run.ChunkIndex,
                Variant = node.Run.Variant,
                DependsOn = string.Join(',', node.DependsOn),
                Weight = node.Weight,
                Status = StageRunStatus.Pending,
            });
        }

        // Accepted only once saved: two deliveries of one submit can both get this far, and the one whose insert
        // loses must not announce a job (its retry then finds the winner's row and stops).
        db.Jobs.Add(job);
        await AdvanceAsync(context, job, accepted: new JobAccepted(job.Id, now));
    }

    public async Task StageStartedAsync(ConsumeContext context, StageStarted message)
    {
        // A start changes its run, its attempts and the job row alone: only they are read, not the whole job.
        var (job, run) = await LoadRunAloneAsync(message.JobId, message.Run, context.CancellationToken);
        if (job is null || run is null || run.IsFinished || job.IsFinished)
        {
            return;
        }

        // timestamptz holds UTC only; a worker may report its local offset.
        var at = message.At.ToUniversalTime();
        var now = clock.GetUtcNow();
        // A run's first start (the common case) has no attempts to read: the run row counts them.
        var attempts = run.Attempts == 0 ? [] : await AttemptLog.ForRunAsync(db, run.Id, context.CancellationToken);
        if (AttemptLog.Start(db, run, attempts, message.Worker, message.Attempt, at, now) is null)
        {
            logger.LogDebug("ignoring duplicate start of {Node} by {Worker} for job {JobId}", run.Node, message.Worker, job.Id);
            return;
        }

        run.Status = StageRunStatus.Running;
        run.Worker = message.Worker;
        run.StartedAt = at;
        run.LastActivityAt = now;
        job.Status = JobStatus.Running;
        job.CurrentStage = run.Node;

        // A start moves no progress bar: the job's stays as it was.
        JobTransitions.Stamp(job, now);
        await db.SaveChangesAsync(context.CancellationToken);
        await PublishProgressAsync(context, job, run.Node);
    }

    public async Task StageProgressedAsync(ConsumeContext context, StageProgressed message)
    {
        var (job, run) = await LoadRunAloneAsync(message.JobId, message.Run, context.CancellationToken);
        if (job is null || run is null || run.IsFinished || job.IsFinished)
        {
            return;
        }

        // Any progress event is a heartbeat for the watchdog, but one that does not move the bar is written only
        // once a minute: a chatty worker must not turn every report into a job-row update.
        var now = clock.GetUtcNow();
        var advanced = message.Fraction > run.Progress;
        if (!advanced && run.LastActivityAt is { } last && now - last < HeartbeatResolution)
        {
            return;
        }

        run.Progress = Math.Max(run.Progress, message.Fraction);
        run.LastActivityAt = now;
        JobTransitions.Stamp(job, now);
        if (advanced)
        {
            var others = await ProgressOfOthersAsync(job.Id, run.Id, context.CancellationToken);
            job.Progress = JobTransitions.Progress(others.Append((run.Weight, run.Status, run.Progress)));
        }

        await db.SaveChangesAsync(context.CancellationToken);
        if (advanced)
        {
            await PublishProgressAsync(context, job, run.Node);
        }
    }

    public async Task StageCompletedAsync<T>(ConsumeContext context, Guid jobId, StageRunId runId, T result, StageReport report)
    {
        var (job, run) = await LoadRunAsync(jobId, runId, context.CancellationToken);
        if (job is null || run is null || run.IsFinished || job.IsFinished)
        {
            logger.LogDebug("ignoring duplicate or late completion of {Node} for job {JobId}", PlanNode.NodeName(runId), jobId);
            return;
        }

        var now = clock.GetUtcNow();
        run.Status = StageRunStatus.Succeeded;
        run.Progress = 1;
        run.FinishedAt = now;
        run.StartedAt ??= now;
        run.Worker ??= report.Worker;
        AttemptLog.Finish(db, run, await AttemptLog.ForRunAsync(db, run.Id, context.CancellationToken), report.Worker, AttemptOutcome.Succeeded, null, now);
        run.WorkSeconds = report.Seconds;
        run.CacheHit = report.CacheHit;
        run.ResultJson = JsonSerializer.Serialize(result, JobJson.Options);

        if (result is OutputMuxed muxed)
        {
            job.OutputKey = muxed.Output.Key;
            job.OutputSizeBytes = muxed.Output.SizeBytes;
        }

        JoinFanOut(job, run, now);

        if (job.Stages.All(s => s.Status == StageRunStatus.Succeeded))
        {
            job.Status = JobStatus.Succeeded;
            job.Progress = 1;
            job.FinishedAt = now;
            job.CurrentStage = null;
            Touch(job);
            await db.SaveChangesAsync(context.CancellationToken);
            var output = StageCommands.ResultOf<OutputMuxed>(job, PlanNode.NodeName(new StageRunId(StageKind.Mux))).Output;
            await context.PublishUnlessInterruptedAsync(new JobCompleted(job.Id, output, StageSeconds(job), now));
            return;
        }

        await AdvanceAsync(context, job, progressOf: run.Node);
    }

    public async Task StageFailedAsync(ConsumeContext context, Guid jobId, StageRunId runId, string reason, string kind)
    {
        var (job, run) = await LoadRunAsync(jobId, runId, context.CancellationToken);
        if (job is null || run is null || run.IsFinished || job.IsFinished)
        {
            return;
        }

        var now = clock.GetUtcNow();
        run.Status = StageRunStatus.Failed;
        run.FinishedAt = now;
        run.Error = reason;
        AttemptLog.Finish(db, run, await AttemptLog.ForRunAsync(db, run.Id, context.CancellationToken), null, AttemptOutcome.Failed, reason, now);
        await AttemptLog.AbandonOpenOfJobAsync(db, job.Id, $"job failed at {run.Node}", now, context.CancellationToken);
        JobTransitions.Fail(job, run.Node, reason, kind, now);
        await db.SaveChangesAsync(context.CancellationToken);
        await context.PublishUnlessInterruptedAsync(new JobFailed(job.Id, run.Node, reason, kind, now));
    }

    public async Task CancelAsync(ConsumeContext context, CancelJob message)
    {
        db.ChangeTracker.Clear();
        var job = await db.Jobs.Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == message.JobId, context.CancellationToken);
        if (job is null || job.IsFinished)
        {
            return;
        }

        var now = clock.GetUtcNow();
        job.Status = JobStatus.Cancelled;
        job.FinishedAt = now;
        job.Error = message.Reason ?? "cancelled";
        foreach (var run in job.Stages.Where(s => !s.IsFinished))
        {
            run.Status = StageRunStatus.Cancelled;
            run.FinishedAt = now;
        }

        await AttemptLog.AbandonOpenOfJobAsync(db, job.Id, "job cancelled", now, context.CancellationToken);
        Touch(job);
        await db.SaveChangesAsync(context.CancellationToken);
        await context.PublishUnlessInterruptedAsync(new JobCancelled(job.Id, message.Reason, now));
    }

    /// <summary>
    /// A chunk run finished: when it was the last of its fan-out, the template node succeeds too, with the chunks'
    /// results in chunk order, and the nodes waiting on it become ready.
    /// </summary>
    private static void JoinFanOut(JobRecord job, StageRunRecord run, DateTimeOffset now)
    {
        if (run.ChunkIndex is null)
        {
            return;
        }

        var template = job.Stages.SingleOrDefault(s => s.Stage == run.Stage && s.Variant == run.Variant && s.ChunkIndex is null);
        var chunks = job.Stages.Where(s => s.Stage == run.Stage && s.Variant == run.Variant && s.ChunkIndex is not null).OrderBy(s => s.ChunkIndex).ToList();
        if (template is null || template.IsFinished || chunks.Any(c => c.Status != StageRunStatus.Succeeded))
        {
            return;
        }

        template.Status = StageRunStatus.Succeeded;
        template.Progress = 1;
        template.FinishedAt = now;
        template.StartedAt ??= chunks.Min(c => c.StartedAt) ?? now;
        template.WorkSeconds = chunks.Sum(c => c.WorkSeconds ?? 0);
        template.CacheHit = chunks.All(c => c.CacheHit);
        template.ResultJson = "[" + string.Join(',', chunks.Select(c => c.ResultJson ?? "null")) + "]";
    }

    /// <summary>
    /// Dispatches every pending node whose dependencies have all succeeded. A node with nothing to do for this job
    /// (see <see cref="StageCommands.Build"/>) succeeds at once as skipped, which may make more nodes ready.
    /// </summary>
    /// <param name="accepted">A new job's announcement, published once its rows are saved and before its first commands.</param>
    private async Task AdvanceAsync(ConsumeContext context, JobRecord job, string? progressOf = null, JobAccepted? accepted = null)
    {
        var spec = JsonSerializer.Deserialize<JobSpec>(job.SpecJson, JobJson.Options)!;
        var commands = new List<object>();
        var now = clock.GetUtcNow();
        var skippedAny = true;
        while (skippedAny)
        {
            skippedAny = false;
            var succeeded = job.Stages.Where(s => s.Status == StageRunStatus.Succeeded).Select(s => s.Node).ToHashSet();
            var ready = job.Stages
                .Where(s => s.Status == StageRunStatus.Pending && s.Dependencies.All(succeeded.Contains))
                .ToList();
            foreach (var run in ready)
            {
                run.Status = StageRunStatus.Dispatched;
                run.DispatchedAt = now;
                if (!TryBuild(job, spec, run, out var built, out var problem))
                {
                    // Building a command only reads the job's own records, so it fails the same way every time:
                    // retrying would leave the job waiting for ever. Fail it with the reason instead.
                    logger.LogError(problem, "job {JobId}: cannot prepare {Node}", job.Id, run.Node);
                    var reason = $"internal error preparing {run.Node}: {problem!.Message}";
                    JobTransitions.Fail(job, run.Node, reason, "Internal", now);
                    await db.SaveChangesAsync(context.CancellationToken);
                    if (accepted is not null)
                    {
                        await context.PublishUnlessInterruptedAsync(accepted);
                    }

                    await context.PublishUnlessInterruptedAsync(new JobFailed(job.Id, run.Node, reason, "Internal", now));
                    return;
                }

                if (StageCommands.IsFanOut(run))
                {
                    // One run per chunk of the video, added now that ingest knows its length; the template waits for them.
                    foreach (var (chunk, command) in built.Chunks!)
                    {
                        // Added explicitly: the key is client-generated, so EF would otherwise take it for an existing row.
                        AddChunkRun(job, chunk);
                        commands.Add(command);
                    }

                    run.Weight = 0;
                    continue;
                }

                var next = built.Command;
                if (next is null)
                {
                    logger.LogInformation("job {JobId}: {Node} has nothing to do, skipped", job.Id, run.Node);
                    run.Status = StageRunStatus.Succeeded;
                    run.Progress = 1;
                    run.StartedAt = now;
                    run.FinishedAt = now;
                    run.WorkSeconds = 0;
                    run.ResultJson = "null";
                    skippedAny = true;
                    continue;
                }

                commands.Add(next);
            }
        }

        Touch(job);

        // State first, then messages: a crash in between leaves a dispatched run that a retry re-sends,
        // never a command for a run the database does not know about.
        var saving = Stopwatch.GetTimestamp();
        await db.SaveChangesAsync(context.CancellationToken);
        var sending = Stopwatch.GetTimestamp();
        if (accepted is not null)
        {
            await context.PublishUnlessInterruptedAsync(accepted);
        }

        // Side by side: each send waits for the broker's confirm, and the next stage waits for the slowest. The
        // progress event goes with them rather than after them, so it adds no round trip to the hop.
        var sends = commands.Select(command => context.SendUnlessInterruptedAsync(command));
        if (progressOf is not null)
        {
            sends = sends.Append(PublishProgressAsync(context, job, progressOf));
        }

        await Task.WhenAll(sends);
        if (commands.Count > 0)
        {
            logger.LogDebug(
                "job {JobId}: {Count} command(s) dispatched, saved in {SaveMs:F1} ms, sent in {SendMs:F1} ms",
                job.Id, commands.Count, Stopwatch.GetElapsedTime(saving, sending).TotalMilliseconds, Stopwatch.GetElapsedTime(sending).TotalMilliseconds);
        }
    }

    // The node's command (or, for a fan-out template, its chunk runs and their commands), or the exception that
    // building it threw.
    private static bool TryBuild(
        JobRecord job, JobSpec spec, StageRunRecord run, out (object? Command, IReadOnlyList<(StageRunRecord Run, object Command)>? Chunks) built, out Exception? problem)
    {
        try
        {
            built = StageCommands.IsFanOut(run) ? (null, StageCommands.BuildChunks(job, spec, run)) : (StageCommands.Build(job, spec, run), null);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or ArgumentException or KeyNotFoundException)
        {
            built = default;
            problem = e;
            return false;
        }
    }

    /// <summary>
    /// The job row and the one run, tracked, for a transition that changes nothing else: the job's other runs stay
    /// unread, so <see cref="JobRecord.Stages"/> holds this run alone and <see cref="JobTransitions.Touch"/> must not
    /// be used. The job's version still guards the save, as for every transition.
    /// </summary>
    private async Task<(JobRecord? Job, StageRunRecord? Run)> LoadRunAloneAsync(Guid jobId, StageRunId runId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var node = PlanNode.NodeName(runId);
        var found = await db.StageRuns
            .Where(s => s.JobId == jobId && s.Node == node)
            .Join(db.Jobs, s => s.JobId, j => j.Id, (s, j) => new { Run = s, Job = j })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            logger.LogWarning("job {JobId} has no node {Node}", jobId, node);
            return (null, null);
        }

        return (found.Job, found.Run);
    }

    // The roll-up needs every other run's weight and progress, and nothing else of them.
    private async Task<IEnumerable<(double Weight, StageRunStatus Status, double Progress)>> ProgressOfOthersAsync(Guid jobId, Guid runId, CancellationToken ct)
    {
        var others = await db.StageRuns.AsNoTracking()
            .Where(s => s.JobId == jobId && s.Id != runId)
            .Select(s => new { s.Weight, s.Status, s.Progress })
            .ToListAsync(ct);
        return others.Select(s => (s.Weight, s.Status, s.Progress));
    }

    private async Task<(JobRecord? Job, StageRunRecord? Run)> LoadRunAsync(Guid jobId, StageRunId runId, CancellationToken ct)
    {
        // A retry after a concurrency conflict may reuse this context: start from what the database holds now.
        db.ChangeTracker.Clear();
        var job = await db.Jobs.Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == jobId, ct);
        var node = PlanNode.NodeName(runId);
        var run = job?.Stages.SingleOrDefault(s => s.Node == node);
        if (job is not null && run is null)
        {
            logger.LogWarning("job {JobId} has no node {Node}", jobId, node);
        }

        return (job, run);
    }

    /// <summary>
    /// Runs every query a stage event makes, for a job that does not exist: EF compiles each query shape on its first
    /// run (tens of milliseconds apiece), which a fresh Api would otherwise pay inside its first job's bus hops.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var none = new StageRunId(StageKind.Ingest);
        _ = await LoadRunAsync(Guid.Empty, none, cancellationToken);
        _ = await LoadRunAloneAsync(Guid.Empty, none, cancellationToken);
        _ = await AttemptLog.ForRunAsync(db, Guid.Empty, cancellationToken);
        _ = await ProgressOfOthersAsync(Guid.Empty, Guid.Empty, cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static Task PublishProgressAsync(ConsumeContext context, JobRecord job, string node) =>
        context.PublishUnlessInterruptedAsync(new JobProgressed(job.Id, job.Progress, node, null));

    private void Touch(JobRecord job) => JobTransitions.Touch(job, clock.GetUtcNow());

    private static Dictionary<string, double> StageSeconds(JobRecord job) =>
        job.Stages.ToDictionary(s => s.Node, s => Math.Round(s.WorkSeconds ?? 0, 3));
}
