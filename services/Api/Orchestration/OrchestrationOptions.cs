namespace Pipeline.Api.Orchestration;

/// <summary>Bound from configuration section "Orchestration": the dispatch watchdog's clocks.</summary>
public sealed class OrchestrationOptions
{
    public const string Section = "Orchestration";

    /// <summary>How often the watchdog looks for stuck runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A dispatched run that no worker has started after this long is sent again (later re-sends wait longer).</summary>
    public TimeSpan DispatchTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A running attempt with no start, progress or heartbeat for this long is taken for dead.</summary>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The job fails when this many attempts of one run have stalled.</summary>
    public int MaxStalledAttempts { get; set; } = 3;
}
