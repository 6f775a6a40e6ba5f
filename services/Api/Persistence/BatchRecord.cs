namespace Pipeline.Api.Persistence;

/// <summary>A named group of jobs submitted together. Its counts are derived from its jobs, never stored.</summary>
public sealed class BatchRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// How many jobs were submitted for the batch. The orchestrator files them asynchronously, so until it has, the
    /// batch is not complete even when every job filed so far has finished.
    /// </summary>
    public int JobCount { get; set; }

    /// <summary>The per-row report as JSON: each manifest row's reference with its job id or its errors.</summary>
    public string? RowsJson { get; set; }

    /// <summary>When its last job finished and batch.completed was enqueued; null while jobs are still running.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
