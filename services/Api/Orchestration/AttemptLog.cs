using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// The stage_attempts rows of a run: one per worker that started it. The caller saves, together with the job's
/// version bump, so two replicas recording the same event cannot both succeed.
/// </summary>
internal static class AttemptLog
{
    // PostgreSQL keeps microseconds, .NET ticks are 100 ns: a redelivered event's timestamp matches to within this.
    private static readonly TimeSpan SameInstant = TimeSpan.FromMilliseconds(1);

    public static Task<List<StageAttemptRecord>> ForRunAsync(JobDbContext db, Guid runId, CancellationToken ct) =>
        db.StageAttempts.Where(a => a.StageRunId == runId).OrderBy(a => a.Attempt).ToListAsync(ct);

    /// <summary>
    /// Records a StageStarted: a new attempt numbered after the run's earlier ones, which are abandoned if still open
    /// (their worker died and the broker redelivered the command). Returns null for a duplicate of a start already
    /// recorded: the same worker and worker attempt, still open or at the same instant.
    /// </summary>
    public static StageAttemptRecord? Start(
        JobDbContext db, StageRunRecord run, List<StageAttemptRecord> attempts, string worker, int workerAttempt, DateTimeOffset at, DateTimeOffset now)
    {
        if (attempts.Any(a => a.Worker == worker && a.WorkerAttempt == workerAttempt && (a.IsOpen || (a.StartedAt - at).Duration() < SameInstant)))
        {
            return null;
        }

        var number = attempts.Count + 1;
        foreach (var older in attempts.Where(a => a.IsOpen))
        {
            Close(older, AttemptOutcome.Abandoned, $"superseded by attempt {number} on {worker}", now);
        }

        var attempt = new StageAttemptRecord
        {
            StageRunId = run.Id,
            JobId = run.JobId,
            Node = run.Node,
            Attempt = number,
            Worker = worker,
            WorkerAttempt = workerAttempt,
            StartedAt = at,
        };
        db.StageAttempts.Add(attempt);
        attempts.Add(attempt);
        run.Attempts = attempts.Count;
        return attempt;
    }

    /// <summary>
    /// Records the run's result on the attempt that produced it: the worker's open attempt, else its latest (a worker
    /// thought dead that finished after all), else the latest open one when the worker is unknown (a fault), else a
    /// new row (the result overtook its StageStarted). Every other open attempt is abandoned: the run is over.
    /// </summary>
    public static void Finish(
        JobDbContext db, StageRunRecord run, List<StageAttemptRecord> attempts, string? worker, AttemptOutcome outcome, string? error, DateTimeOffset now)
    {
        var target = worker is null
            ? attempts.LastOrDefault(a => a.IsOpen)
            : attempts.LastOrDefault(a => a.Worker == worker && a.IsOpen) ?? attempts.LastOrDefault(a => a.Worker == worker);
        if (target is null)
        {
            target = new StageAttemptRecord
            {
                StageRunId = run.Id,
                JobId = run.JobId,
                Node = run.Node,
                Attempt = attempts.Count + 1,
                Worker = worker ?? "unknown",
                WorkerAttempt = 1,
                StartedAt = run.StartedAt ?? now,
            };
            db.StageAttempts.Add(target);
            attempts.Add(target);
        }

        Close(target, outcome, error, now);
        foreach (var other in attempts.Where(a => a.IsOpen))
        {
            Close(other, AttemptOutcome.Abandoned, $"the run ended on attempt {target.Attempt}", now);
        }

        run.Attempts = attempts.Count;
    }

    /// <summary>Abandons the run's open attempts (it stalled, or its job ended) without recording a result.</summary>
    public static void AbandonOpen(IEnumerable<StageAttemptRecord> attempts, string reason, DateTimeOffset now)
    {
        foreach (var open in attempts.Where(a => a.IsOpen))
        {
            Close(open, AttemptOutcome.Abandoned, reason, now);
        }
    }

    /// <summary>Abandons every open attempt of a job that just ended (failed or cancelled).</summary>
    public static async Task AbandonOpenOfJobAsync(JobDbContext db, Guid jobId, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var open = await db.StageAttempts.Where(a => a.JobId == jobId && a.Outcome == null).ToListAsync(ct);
        AbandonOpen(open, reason, now);
    }

    private static void Close(StageAttemptRecord attempt, AttemptOutcome outcome, string? error, DateTimeOffset now)
    {
        attempt.Outcome = outcome;
        attempt.FinishedAt = now;
        attempt.Error = error;
    }
}
