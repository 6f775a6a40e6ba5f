using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;
using Pipeline.Media;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// The envelope every stage consumer runs its work in (DESIGN.md §5): announce the run, honour job cancel,
/// publish the result, and turn bad input into one clear <see cref="StageFailed"/> instead of retries.
/// Anything else is rethrown so the consumer definition's retry policy, and then the error queue, take it.
/// </summary>
public sealed class StageExecution(WorkerIdentity worker, JobCancellations cancellations, ILogger<StageExecution> logger)
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

        if (cancellations.IsCancelled(jobId))
        {
            logger.LogInformation("skipping {Stage}: job {JobId} was cancelled", run.Stage, jobId);
            return;
        }

        var attempt = context.GetRetryAttempt() + 1;
        await context.Publish(new StageStarted(jobId, run, worker.Name, attempt, DateTimeOffset.UtcNow));

        using var registration = cancellations.Register(jobId, context.CancellationToken);
        var progress = new ThrottledStageProgress(context, jobId, run, logger);
        using var stageContext = new StageContext(jobId, run, worker, progress, registration.Token);
        try
        {
            var completed = await work(stageContext);
            logger.LogInformation("{Stage} finished in {Seconds:F2}s", run.Stage, stageContext.Report(false).Seconds);
            await context.Publish(completed);
        }
        catch (Exception ex) when (cancellations.IsCancelled(jobId) && ex is OperationCanceledException or MediaException { Kind: MediaErrorKind.Cancelled })
        {
            logger.LogInformation("{Stage} stopped: job {JobId} was cancelled", run.Stage, jobId);
        }
        catch (MediaException ex) when (ex.Kind is not MediaErrorKind.Cancelled)
        {
            logger.LogWarning("{Stage} rejected its input: {Reason}", run.Stage, ex.Message);
            await context.Publish(new StageFailed(jobId, run, ex.Message, ex.Kind.ToString(), Transient: false, DateTimeOffset.UtcNow));
        }
    }
}
