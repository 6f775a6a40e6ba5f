namespace Pipeline.Contracts.Stages;

/// <summary>
/// Names one stage run of a job: the stage, its chunk for chunked stages, and a variant where one stage runs more
/// than once per job on different inputs (audio features of the new speech and of the target's own audio).
/// </summary>
public sealed record StageRunId(StageKind Stage, int? ChunkIndex = null, string? Variant = null);

/// <summary>A worker took a stage command off its queue.</summary>
public sealed record StageStarted(Guid JobId, StageRunId Run, string Worker, int Attempt, DateTimeOffset At);

/// <summary>Progress inside one stage run, 0..1.</summary>
public sealed record StageProgressed(Guid JobId, StageRunId Run, double Fraction, string? Detail = null);

/// <summary>
/// A stage gave up. <paramref name="Reason"/> is for the user (which file, what is wrong, what to do);
/// <paramref name="Transient"/> faults were already retried before this is published.
/// </summary>
public sealed record StageFailed(
    Guid JobId,
    StageRunId Run,
    string Reason,
    string ErrorKind,
    bool Transient,
    DateTimeOffset At);
