using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// The "Pipeline" meter: how long stages take, how long their commands wait in a queue, how often they fail and
/// how often the cache spares the work. <see cref="StageExecution"/> records every stage run here, so every
/// worker reports the same instruments with the same tags.
/// </summary>
public sealed class StageMetrics
{
    public const string MeterName = "Pipeline";

    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _cacheHits;
    private readonly string _service;

    /// <param name="meterFactory">From DI, so each host owns its meter and tests can tell hosts apart.</param>
    /// <param name="service">The service name (not the per-process worker name), to keep tag cardinality low.</param>
    public StageMetrics(IMeterFactory meterFactory, string service)
    {
        _service = service;
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram<double>(
            "pipeline.stage.duration", "s", "Time a stage run spent in its worker, from start to its outcome.");
        _queueWait = meter.CreateHistogram<double>(
            "pipeline.stage.queue_wait", "s", "Time a stage command waited between being sent and its consumer starting.");
        _failures = meter.CreateCounter<long>(
            "pipeline.stage.failures", "{failure}", "Stage runs that ended in an error, by kind and whether a retry follows.");
        _cacheHits = meter.CreateCounter<long>(
            "pipeline.stage.cache_hits", "{run}", "Stage runs whose output was already in the object store.");
    }

    public void RecordQueueWait(StageKind stage, TimeSpan wait)
    {
        // Sender and consumer clocks can disagree by a little across hosts; a negative wait means "none".
        var seconds = Math.Max(0, wait.TotalSeconds);
        _queueWait.Record(seconds, new KeyValuePair<string, object?>("stage", stage.ToString()));
    }

    public void RecordDuration(StageKind stage, StageOutcome outcome, bool cacheHit, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "stage", stage.ToString() },
            { "outcome", outcome.TagValue() },
            { "cache_hit", cacheHit },
            { "service", _service },
        };
        _duration.Record(elapsed.TotalSeconds, tags);
        if (cacheHit)
        {
            _cacheHits.Add(1, new KeyValuePair<string, object?>("stage", stage.ToString()));
        }
    }

    public void RecordFailure(StageKind stage, string kind, bool transient) =>
        _failures.Add(1, new TagList
        {
            { "stage", stage.ToString() },
            { "kind", kind },
            { "transient", transient },
        });
}
