using Pipeline.Contracts.Jobs;

namespace Pipeline.Api.Persistence;

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One job. <see cref="Version"/> is the optimistic-concurrency token that keeps transitions safe across orchestrator replicas.</summary>
public sealed class JobRecord
{
    public Guid Id { get; set; }

    public string TenantId { get; set; } = "local";

    /// <summary>The batch the job was submitted in, if any.</summary>
    public Guid? BatchId { get; set; }

    public JobMode Mode { get; set; }

    public JobStatus Status { get; set; }

    public string SpecJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public double Progress { get; set; }

    public string? CurrentStage { get; set; }

    public string? OutputKey { get; set; }

    public long? OutputSizeBytes { get; set; }

    public string? Error { get; set; }

    public string? ErrorKind { get; set; }

    public string? FailedStage { get; set; }

    public int Version { get; set; }

    public List<StageRunRecord> Stages { get; set; } = [];

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
