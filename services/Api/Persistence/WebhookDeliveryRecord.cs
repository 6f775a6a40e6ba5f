namespace Pipeline.Api.Persistence;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event for one endpoint: the outbox row the dispatcher sends, retries and finally marks delivered or failed.
/// Its id is the event id the receiver sees, so a receiver can drop a delivery it has already handled.
/// </summary>
public sealed class WebhookDeliveryRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public Guid EndpointId { get; set; }

    /// <summary>The job or batch the event is about.</summary>
    public Guid SubjectId { get; set; }

    /// <summary>"job.succeeded", "job.failed" or "batch.completed".</summary>
    public string EventType { get; set; } = string.Empty;

    /// <summary>The exact body POSTed (and signed), fixed when the event happened.</summary>
    public string PayloadJson { get; set; } = "{}";

    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Attempts claimed so far. A replica claims the next one by bumping it from the value it read.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while an attempt runs, the end of its lease.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
