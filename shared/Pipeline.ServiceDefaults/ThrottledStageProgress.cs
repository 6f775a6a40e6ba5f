using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Publishes stage progress at most once per <see cref="Interval"/>, and not before the stage has run for
/// <see cref="Grace"/>. Every report is a message and a database write on the Api, and the Api handles one job's
/// events in order: a report queued there delays the completion behind it, which is the next stage's start. So a
/// short stage (a cache hit, a small input) reports nothing, and no report says "done": the completion does.
/// </summary>
internal sealed class ThrottledStageProgress(
    ConsumeContext context,
    Guid jobId,
    StageRunId run,
    ILogger logger) : IProgress<double>
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly long _startedTicks = Environment.TickCount64;
    private long _lastTicks;
    private double _last = -1;

    public void Report(double value)
    {
        var fraction = Math.Clamp(value, 0, 1);
        var now = Environment.TickCount64;
        if (fraction <= _last || fraction >= 1
            || now - _startedTicks < Grace.TotalMilliseconds
            || now - Interlocked.Read(ref _lastTicks) < Interval.TotalMilliseconds)
        {
            return;
        }

        Interlocked.Exchange(ref _lastTicks, now);
        _last = fraction;
        _ = PublishAsync(fraction);
    }

    private async Task PublishAsync(double fraction)
    {
        try
        {
            await context.PublishUnlessInterruptedAsync(new StageProgressed(jobId, run, fraction));
        }
        catch (Exception ex)
        {
            // Progress is advisory: losing one report must never fail the stage.
            logger.LogDebug(ex, "progress report dropped");
        }
    }
}
