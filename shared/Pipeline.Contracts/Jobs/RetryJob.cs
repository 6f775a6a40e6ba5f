namespace Pipeline.Contracts.Jobs;

/// <summary>What a retry runs again.</summary>
public enum RetryScope
{
    /// <summary>Only the runs that failed or were cut off; finished stages keep their results and the DAG goes on from there.</summary>
    FailedStage,

    /// <summary>Every stage from ingest on. Stage outputs are content-addressed, so unchanged stages are cache hits.</summary>
    Job,
}

/// <summary>
/// Asks the orchestrator to run a failed or cancelled job again, in place: the same job id, its attempt history kept.
/// A job in any other state is left alone, so a duplicate or late retry changes nothing.
/// </summary>
public sealed record RetryJob(Guid JobId, RetryScope Scope, string? Reason = null);

/// <summary>A failed or cancelled job was put back in the queue.</summary>
public sealed record JobRetried(Guid JobId, RetryScope Scope, DateTimeOffset At);
