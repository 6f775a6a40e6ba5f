using MassTransit;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>What the probe stage should do: each value drives one way out of <see cref="StageExecution"/>.</summary>
public enum ProbeBehaviour
{
    Compute,
    FromCache,
    RejectInput,
    Crash,

    /// <summary>Works until the consume is cancelled, then ends the way an ffmpeg stopped by cancellation does.</summary>
    RunUntilInterrupted,
}

public sealed record ProbeStage(Guid JobId, ProbeBehaviour Behaviour);

public sealed record ProbeStageDone(Guid JobId, StageReport Report);

/// <summary>A stage consumer shaped like the real ones, run in the real <see cref="StageExecution"/> envelope.</summary>
public sealed class ProbeStageConsumer(StageExecution execution) : IConsumer<ProbeStage>
{
    public const StageKind Stage = StageKind.ExemplarBank;

    public Task Consume(ConsumeContext<ProbeStage> context) =>
        execution.RunAsync(context, context.Message.JobId, new StageRunId(Stage), async stage =>
        {
            await Task.Delay(5, stage.CancellationToken);
            if (context.Message.Behaviour == ProbeBehaviour.RunUntilInterrupted)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stage.CancellationToken);
                }
                catch (OperationCanceledException e)
                {
                    throw new MediaException(MediaErrorKind.Cancelled, "ffmpeg was stopped because the operation was cancelled", innerException: e);
                }
            }

            return context.Message.Behaviour switch
            {
                ProbeBehaviour.Compute => new ProbeStageDone(stage.JobId, stage.Report(cacheHit: false)),
                ProbeBehaviour.FromCache => new ProbeStageDone(stage.JobId, stage.Report(cacheHit: true)),
                ProbeBehaviour.RejectInput => throw new MediaException(MediaErrorKind.NoAudioStream, "the probe has no audio"),
                _ => throw new InvalidOperationException("the probe crashed"),
            };
        });
}
