using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;
using Pipeline.Media;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// The envelope every stage consumer runs its work in (DESIGN.md §5): announce the run, honour job cancel,
/// publish the result, and turn bad input into one clear <see cref="StageFailed"/> instead of retries.
/// Anything else is rethrown so the consumer definition's retry policy, and then the error queue, take it.
/// Every run is measured in <see cref="StageMetrics"/> on the way.
/// </summary>
public sealed class StageExecution(
    WorkerIdentity worker,
    JobCancellations cancellations,
    StageMetrics metrics,
    ILogger<StageExecution> logger)
{
    public async Task RunAsync<TCompleted>(
        ConsumeContext context,
        Guid jobId,
        StageRunId run,
        Func<StageContext, Task<TCompleted>> work)
        where TCompleted : class
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["JobId"] = jobId,
            ["Stage"] = run.Stage,
            ["Chunk"] = run.ChunkIndex,
        });

        var retryAttempt = context.GetRetryAttempt();
        // A retry re-runs the consumer on the same message, so its wait since SentTime would count the failed
        // attempts' work as queueing: only the first attempt measures the queue.
        if (retryAttempt == 0 && context.SentTime is { } sent)
        {
            metrics.RecordQueueWait(run.Stage, DateTime.UtcNow - DateTime.SpecifyKind(sent, DateTimeKind.Utc));
        }

        if (cancellations.IsCancelled(jobId))
        {
            logger.LogInformation("skipping {Stage}: job {JobId} was cancelled", run.Stage, jobId);
            return;
        }

        // The start stamp and the work's clock share one origin, so the stamp plus the reported seconds is when the
        // work ended. The announcement goes out beside the work, not before it: the broker's confirm is no part of the
        // stage's critical path. It is awaited before any outcome is published, so the Api always sees the start first,
        // and settled before the consumer returns, so a retry's start never overtakes it.
        var started = Stopwatch.GetTimestamp();
        var announced = context.PublishUnlessInterruptedAsync(new StageStarted(jobId, run, worker.Name, retryAttempt + 1, DateTimeOffset.UtcNow));
        try
        {
            await RunStartedAsync(context, jobId, run, started, announced, work);
        }
        finally
        {
            // Observed here whatever the outcome; when it failed, the outcome's own publish or the retry reports it.
            await announced.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunStartedAsync<TCompleted>(
        ConsumeContext context, Guid jobId, StageRunId run, long started, Task announced, Func<StageContext, Task<TCompleted>> work)
        where TCompleted : class
    {
        using var registration = cancellations.Register(jobId, context.CancellationToken);
        var progress = new ThrottledStageProgress(context, jobId, run, logger);
        using var stageContext = new StageContext(jobId, run, worker, progress, started, registration.Token);
        try
        {
            var completed = await work(stageContext);
            logger.LogInformation("{Stage} finished in {Seconds:F2}s", run.Stage, stageContext.Elapsed.TotalSeconds);
            await announced;
            await context.PublishUnlessInterruptedAsync(completed);
            metrics.RecordDuration(run.Stage, StageOutcome.Succeeded, stageContext.CacheHit, stageContext.Elapsed);
            if (!stageContext.CacheHit)
            {
                // After the completion is out, so the next stage's dispatch does not wait for it.
                NativeHeapTrim.Run();
            }
        }
        catch (Exception ex) when (cancellations.IsCancelled(jobId) && ex is OperationCanceledException or MediaException { Kind: MediaErrorKind.Cancelled })
        {
            logger.LogInformation("{Stage} stopped: job {JobId} was cancelled", run.Stage, jobId);
            metrics.RecordDuration(run.Stage, StageOutcome.Cancelled, cacheHit: false, stageContext.Elapsed);
        }
        catch (MediaException ex) when (ex.Kind is not MediaErrorKind.Cancelled)
        {
            logger.LogWarning("{Stage} rejected its input: {Reason}", run.Stage, ex.Message);
            metrics.RecordDuration(run.Stage, StageOutcome.Rejected, cacheHit: false, stageContext.Elapsed);
            metrics.RecordFailure(run.Stage, ex.Kind.ToString(), transient: false);
            await announced;
            await context.PublishUnlessInterruptedAsync(new StageFailed(jobId, run, ex.Message, ex.Kind.ToString(), Transient: false, DateTimeOffset.UtcNow));
        }
        catch (MediaException ex) when (ex.Kind is MediaErrorKind.Cancelled && context.CancellationToken.IsCancellationRequested)
        {
            // The transport cancelled this consume (the broker connection dropped, or the worker is stopping), not the
            // job. MassTransit leaves a message for redelivery only when the consumer ends with an
            // OperationCanceledException of the consume's own token; anything else it may fault into the error queue,
            // where the run would wait for the watchdog's stage timeout.
            metrics.RecordDuration(run.Stage, StageOutcome.Cancelled, cacheHit: false, stageContext.Elapsed);
            throw new OperationCanceledException($"{run.Stage} was interrupted: {ex.Message}", ex, context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The transport's cancel (see above), met in the work or in a publish given up: the message goes back.
            logger.LogInformation("{Stage} interrupted by the transport (broker connection lost or worker stopping); the broker will deliver it again", run.Stage);
            metrics.RecordDuration(run.Stage, StageOutcome.Cancelled, cacheHit: false, stageContext.Elapsed);
            throw;
        }
        catch (Exception ex)
        {
            // Not handled here: counted, then rethrown to the retry policy, which may well succeed next time.
            metrics.RecordDuration(run.Stage, StageOutcome.Error, cacheHit: false, stageContext.Elapsed);
            metrics.RecordFailure(run.Stage, ex.GetType().Name, transient: true);
            throw;
        }
    }
}
