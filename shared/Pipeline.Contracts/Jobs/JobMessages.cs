using Pipeline.Contracts.Artifacts;

namespace Pipeline.Contracts.Jobs;

/// <summary>Asks the orchestrator to start a job. Idempotent on <paramref name="JobId"/>.</summary>
/// <param name="BatchId">The batch the job belongs to, when it was submitted as one row of a batch.</param>
public sealed record SubmitJob(Guid JobId, string TenantId, JobSpec Spec, Guid? BatchId = null);

/// <summary>Asks the orchestrator to stop a job and everything in flight for it.</summary>
public sealed record CancelJob(Guid JobId, string? Reason = null);

public sealed record JobAccepted(Guid JobId, DateTimeOffset At);

/// <summary>Overall progress of a job, 0..1, and what it is doing now.</summary>
public sealed record JobProgressed(Guid JobId, double Fraction, string Stage, string? Detail);

public sealed record JobCompleted(Guid JobId, ArtifactRef Output, IReadOnlyDictionary<string, double> StageSeconds, DateTimeOffset At);

/// <summary>A job ended without output. <paramref name="Reason"/> is written for the user: which input, what is wrong.</summary>
public sealed record JobFailed(Guid JobId, string Stage, string Reason, string ErrorKind, DateTimeOffset At);

public sealed record JobCancelled(Guid JobId, string? Reason, DateTimeOffset At);
