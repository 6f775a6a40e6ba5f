using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Finds runs that nothing is working on and sends their commands again: dispatched runs no worker started (the
/// command was lost, or the orchestrator saved the dispatch and died before sending it) and running attempts that
/// went silent (their worker died mid-stage). Re-sending is safe: stages are content-addressed caches, and the
/// orchestrator ignores results for runs already finished. A run that stalls on too many attempts fails its job.
/// Every replica may run this: each job is changed under its version, so only one replica's re-send is saved and sent.
/// </summary>
public sealed class DispatchWatchdog(
    IServiceScopeFactory scopes, IOptions<OrchestrationOptions> options, TimeProvider clock, ILogger<DispatchWatchdog> logger) : BackgroundService
{
    /// <summary>
    /// How long one send may wait for the broker's confirm. A publish whose connection dropped under it can wait for
    /// ever (see <see cref="ServiceDefaults.InterruptiblePublishing"/>); given up, the sweep fails and the next one sends
    /// again, as it would after a crash between saving and sending.
    /// </summary>
    private static readonly TimeSpan BrokerWait = TimeSpan.FromSeconds(30);

    private readonly OrchestrationOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep waits one interval: at start-up the bus is not delivering yet.
        using var timer = new PeriodicTimer(_options.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database or the broker is away; the next sweep tries again.
                logger.LogWarning(e, "dispatch watchdog sweep failed");
            }
        }
    }

    /// <summary>One sweep over every unfinished job with a dispatched or running run. Returns the jobs it changed.</summary>
    internal async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        var now = clock.GetUtcNow();

        // Times are compared here, not in SQL: SQLite stores DateTimeOffset as text and cannot compare it.
        var active = await db.StageRuns.AsNoTracking()
            .Where(r => r.Status == StageRunStatus.Dispatched || r.Status == StageRunStatus.Running)
            .ToListAsync(ct);
        var due = active.Where(r => IsStuck(r, now) is not Stuck.No).Select(r => r.JobId).Distinct().ToList();

        var changed = 0;
        foreach (var jobId in due)
        {
            if (await SweepJobAsync(db, bus, jobId, now, ct))
            {
                changed++;
            }
        }

        return changed;
    }

    private enum Stuck
    {
        No,
        NeverStarted,
        Stalled,
    }

    private Stuck IsStuck(StageRunRecord run, DateTimeOffset now)
    {
        if (run.Status == StageRunStatus.Dispatched && !StageCommands.IsFanOut(run) && run.DispatchedAt is { } dispatched
            && now - dispatched >= DispatchWait(run.Redispatches))
        {
            return Stuck.NeverStarted;
        }

        if (run.Status == StageRunStatus.Running && (run.LastActivityAt ?? run.StartedAt ?? run.DispatchedAt) is { } seen
            && now - seen >= _options.StageTimeout)
        {
            return Stuck.Stalled;
        }

        return Stuck.No;
    }

    // A queue that is merely long would otherwise get a copy of the command every timeout: each re-send of the same
    // run waits twice as long as the one before, up to the stage timeout.
    private TimeSpan DispatchWait(int redispatches)
    {
        var wait = _options.DispatchTimeout * Math.Pow(2, Math.Min(redispatches, 16));
        return wait < _options.StageTimeout ? wait : _options.StageTimeout;
    }

    private async Task<bool> SweepJobAsync(JobDbContext db, IBus bus, Guid jobId, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var job = await db.Jobs.Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.IsFinished)
        {
            return false;
        }

        var spec = JsonSerializer.Deserialize<JobSpec>(job.SpecJson, JobJson.Options)!;
        var commands = new List<object>();
        JobFailed? failed = null;
        foreach (var run in job.Stages.ToList())
        {
            var stuck = IsStuck(run, now);
            if (stuck is Stuck.No)
            {
                continue;
            }

            if (stuck is Stuck.Stalled)
            {
                run.Stalls++;
                var silence = Describe(_options.StageTimeout);
                AttemptLog.AbandonOpen(await AttemptLog.ForRunAsync(db, run.Id, ct), $"no progress for {silence}", now);
                if (run.Stalls >= _options.MaxStalledAttempts)
                {
                    var reason = $"{run.Node} made no progress for {silence} on {run.Stalls} attempts";
                    logger.LogError("job {JobId}: {Reason}", job.Id, reason);
                    await AttemptLog.AbandonOpenOfJobAsync(db, job.Id, $"job failed at {run.Node}", now, ct);
                    JobTransitions.Fail(job, run.Node, reason, "Stalled", now);
                    failed = new JobFailed(job.Id, run.Node, reason, "Stalled", now);
                    commands.Clear();
                    break;
                }

                run.Status = StageRunStatus.Dispatched;
                run.Progress = 0;
            }
            else
            {
                run.Redispatches++;
            }

            run.DispatchedAt = now;
            if (Rebuild(job, spec, run) is { } command)
            {
                logger.LogWarning("job {JobId}: {Node} {Why}, sending it again", job.Id, run.Node, stuck is Stuck.Stalled ? "stalled" : "was not started");
                commands.Add(command);
            }
        }

        if (failed is null && commands.Count == 0)
        {
            return false;
        }

        JobTransitions.Touch(job, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another replica's watchdog, or an event for this job, got there first; the next sweep looks again.
            logger.LogDebug("job {JobId} changed while the watchdog looked at it", job.Id);
            return false;
        }

        // State first, then messages, as in the orchestrator: a crash in between is caught by the next sweep.
        foreach (var command in commands)
        {
            await bus.Send(command, ct).WaitAsync(BrokerWait, ct);
        }

        if (failed is not null)
        {
            await bus.Publish(failed, ct).WaitAsync(BrokerWait, ct);
        }

        return true;
    }

    // Building read the same records when the run was first dispatched, so it fails only on a bug: leave the run for
    // a person to look at rather than fail a job the watchdog merely could not help.
    private object? Rebuild(JobRecord job, JobSpec spec, StageRunRecord run)
    {
        try
        {
            return StageCommands.Rebuild(job, spec, run);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or ArgumentException or KeyNotFoundException)
        {
            logger.LogError(e, "job {JobId}: cannot rebuild the command of {Node}", job.Id, run.Node);
            return null;
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");
}
