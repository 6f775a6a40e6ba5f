using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Publishes stage progress at most every <see cref="Interval"/>: ffmpeg reports many times a second, and
/// each report would otherwise be a message and a database write.
/// </summary>
internal sealed class ThrottledStageProgress(
    IPublishEndpoint publisher,
    Guid jobId,
    StageRunId run,
    ILogger logger) : IProgress<double>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private long _lastTicks;
    private double _last = -1;

    public void Report(double value)
    {
        var fraction = Math.Clamp(value, 0, 1);
        var now = Environment.TickCount64;
        if (fraction <= _last || (now - Interlocked.Read(ref _lastTicks) < Interval.TotalMilliseconds && fraction < 1))
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
            await publisher.Publish(new StageProgressed(jobId, run, fraction));
        }
        catch (Exception ex)
        {
            // Progress is advisory: losing one report must never fail the stage.
            logger.LogDebug(ex, "progress report dropped");
        }
    }
}
