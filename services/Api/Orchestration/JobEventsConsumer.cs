using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Every stage event that moves a job forward. Stage faults (a consumer that threw until its retries ran out)
/// fail the job with the stage's last error, so nothing waits forever on a message parked in an error queue.
/// </summary>
public sealed class JobEventsConsumer(JobOrchestrator orchestrator, ILogger<JobEventsConsumer> logger) :
    IConsumer<StageStarted>,
    IConsumer<StageProgressed>,
    IConsumer<StageFailed>,
    IConsumer<MediaIngested>,
    IConsumer<AudioPrepared>,
    IConsumer<VideoPrepared>,
    IConsumer<OutputMuxed>,
    IConsumer<FacesTracked>,
    IConsumer<AudioFeaturesExtracted>,
    IConsumer<ContentAndEmotionEncoded>,
    IConsumer<MotionPredicted>,
    IConsumer<ExemplarBankBuilt>,
    IConsumer<ChunkRendered>,
    IConsumer<Fault<BuildExemplarBank>>,
    IConsumer<Fault<RenderChunk>>,
    IConsumer<Fault<ExtractAudioFeatures>>,
    IConsumer<Fault<EncodeContentAndEmotion>>,
    IConsumer<Fault<PredictMotion>>,
    IConsumer<Fault<IngestMedia>>,
    IConsumer<Fault<TrackFaces>>,
    IConsumer<Fault<PrepareAudio>>,
    IConsumer<Fault<MuxOutput>>,
    IConsumer<Fault<PrepareVideo>>
{
    public Task Consume(ConsumeContext<StageStarted> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageStartedAsync(context, context.Message));

    public Task Consume(ConsumeContext<StageProgressed> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageProgressedAsync(context, context.Message));

    public Task Consume(ConsumeContext<StageFailed> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageFailedAsync(context, context.Message.JobId, context.Message.Run, context.Message.Reason, context.Message.ErrorKind));

    public Task Consume(ConsumeContext<MediaIngested> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.Ingest), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<AudioPrepared> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.PrepareAudio), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<VideoPrepared> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.PrepareVideo), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<OutputMuxed> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.Mux), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<FacesTracked> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.FaceTracking, context.Message.ChunkIndex), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<AudioFeaturesExtracted> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.AudioFeatures, Variant: StageVariants.Of(context.Message.Role)), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<ContentAndEmotionEncoded> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.Encoding, Variant: StageVariants.Of(context.Message.Role)), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<MotionPredicted> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.Motion), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<ExemplarBankBuilt> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.ExemplarBank), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<ChunkRendered> context) =>
        InJobScope(context, context.Message.JobId, () => orchestrator.StageCompletedAsync(context, context.Message.JobId, new StageRunId(StageKind.Render, context.Message.ChunkIndex), context.Message, context.Message.Report));

    public Task Consume(ConsumeContext<Fault<BuildExemplarBank>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.ExemplarBank));

    public Task Consume(ConsumeContext<Fault<RenderChunk>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.Render, context.Message.Message.Chunk.Index));

    public Task Consume(ConsumeContext<Fault<ExtractAudioFeatures>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.AudioFeatures, Variant: StageVariants.Of(context.Message.Message.Role)));

    public Task Consume(ConsumeContext<Fault<EncodeContentAndEmotion>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.Encoding, Variant: StageVariants.Of(context.Message.Message.Role)));

    public Task Consume(ConsumeContext<Fault<PredictMotion>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.Motion));

    public Task Consume(ConsumeContext<Fault<TrackFaces>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.FaceTracking, context.Message.Message.Chunk.Index));

    public Task Consume(ConsumeContext<Fault<IngestMedia>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.Ingest));

    public Task Consume(ConsumeContext<Fault<PrepareAudio>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.PrepareAudio));

    public Task Consume(ConsumeContext<Fault<MuxOutput>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.Mux));

    public Task Consume(ConsumeContext<Fault<PrepareVideo>> context) =>
        FaultAsync(context, context.Message, context.Message.Message.JobId, new StageRunId(StageKind.PrepareVideo));

    private Task FaultAsync(ConsumeContext context, Fault fault, Guid jobId, StageRunId run)
    {
        var exception = fault.Exceptions.FirstOrDefault();
        var reason = exception is null
            ? $"internal error in {PlanNode.NodeName(run)}"
            : $"internal error in {PlanNode.NodeName(run)}: {FirstLine(exception.Message)}";
        return InJobScope(context, jobId, () => orchestrator.StageFailedAsync(context, jobId, run, reason, exception?.ExceptionType.Split('.').Last() ?? "Fault"));
    }

    /// <summary>
    /// Every log line written while handling an event carries the job it is about (JSON logs show it as a scope). The
    /// debug log times each event, from its sending to its handling and through it: the bus hop's share of the Api.
    /// </summary>
    private async Task InJobScope(ConsumeContext context, Guid jobId, Func<Task> handle)
    {
        using (logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = jobId }))
        {
            var started = Stopwatch.GetTimestamp();
            var waitedMs = context.SentTime is { } sent ? (DateTime.UtcNow - DateTime.SpecifyKind(sent, DateTimeKind.Utc)).TotalMilliseconds : double.NaN;
            await handle();
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug(
                    "{Event} handled in {HandleMs:F1} ms, begun {WaitedMs:F1} ms after it was sent (retry {Retry})",
                    context.SupportedMessageTypes.FirstOrDefault()?.Split(':').LastOrDefault(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, waitedMs, context.GetRetryAttempt());
            }
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
