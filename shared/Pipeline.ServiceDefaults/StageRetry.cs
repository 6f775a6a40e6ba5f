using MassTransit;
using Pipeline.Media;

namespace Pipeline.ServiceDefaults;

/// <summary>The retry policy of every stage endpoint (DESIGN.md §5).</summary>
public static class StageRetry
{
    /// <summary>
    /// Bad input fails fast, once (StageExecution has already published it as a StageFailed); anything else is
    /// taken as transient and retried with backoff before the message faults into the error queue.
    /// </summary>
    public static void UseStageRetry(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<MediaException>();
            r.Intervals(500, 2000, 10000);
        });
}
