using Pipeline.Contracts.Stages;

namespace Pipeline.Api.Persistence;

public enum StageRunStatus
{
    Pending,
    Dispatched,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One node of a job's DAG and how its run went: attempts, worker, timings, result or error.</summary>
public sealed class StageRunRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid JobId { get; set; }

    /// <summary>The node's name in the plan, unique per job: "ingest", "prepare-audio", "render/3".</summary>
    public string Node { get; set; } = string.Empty;

    public StageKind Stage { get; set; }

    public int? ChunkIndex { get; set; }

    public string? Variant { get; set; }

    /// <summary>Nodes that must succeed first, comma-separated.</summary>
    public string DependsOn { get; set; } = string.Empty;

    /// <summary>Share of the job's progress bar this node accounts for.</summary>
    public double Weight { get; set; }

    public StageRunStatus Status { get; set; }

    /// <summary>How many attempts the run has had: the number of its <see cref="StageAttemptRecord"/> rows.</summary>
    public int Attempts { get; set; }

    public string? Worker { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The last sign of life from the running attempt (start or progress): the watchdog's stall clock.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>How often the watchdog re-sent the command because no worker picked it up; spaces out further re-sends.</summary>
    public int Redispatches { get; set; }

    /// <summary>How many attempts stalled (no progress for the stage timeout); the job fails at the limit.</summary>
    public int Stalls { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public double? WorkSeconds { get; set; }

    public bool CacheHit { get; set; }

    public double Progress { get; set; }

    /// <summary>The completion event, as JSON: downstream commands are built from it.</summary>
    public string? ResultJson { get; set; }

    public string? Error { get; set; }

    public bool IsFinished => Status is StageRunStatus.Succeeded or StageRunStatus.Failed or StageRunStatus.Cancelled;

    public IEnumerable<string> Dependencies => DependsOn.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
