namespace Pipeline.Api.Persistence;

public enum AttemptOutcome
{
    Succeeded,
    Failed,

    /// <summary>Another attempt started while this one was open (its worker died and the broker redelivered), or it stalled.</summary>
    Abandoned,
}

/// <summary>One worker's try at a stage run, from its StageStarted to its result. Open while <see cref="Outcome"/> is null.</summary>
public sealed class StageAttemptRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StageRunId { get; set; }

    /// <summary>Denormalised from the run so a job's attempts are one indexed query.</summary>
    public Guid JobId { get; set; }

    public string Node { get; set; } = string.Empty;

    /// <summary>1-based, counted per run by the orchestrator (not the worker's own retry count).</summary>
    public int Attempt { get; set; }

    public string Worker { get; set; } = string.Empty;

    /// <summary>The worker's own retry count from StageStarted: with <see cref="Worker"/>, what makes a StageStarted a duplicate.</summary>
    public int WorkerAttempt { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public AttemptOutcome? Outcome { get; set; }

    public string? Error { get; set; }

    public bool IsOpen => Outcome is null;
}
