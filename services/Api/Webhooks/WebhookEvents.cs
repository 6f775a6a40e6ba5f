namespace Pipeline.Api.Webhooks;

/// <summary>The event types a webhook endpoint can subscribe to.</summary>
public static class WebhookEvents
{
    public const string JobSucceeded = "job.succeeded";

    public const string JobFailed = "job.failed";

    public const string BatchCompleted = "batch.completed";

    public static IReadOnlyList<string> All { get; } = [JobSucceeded, JobFailed, BatchCompleted];
}

/// <summary>The body of every delivery: <see cref="Id"/> is the delivery id, the same on every retry, for idempotency.</summary>
public sealed record WebhookPayload<T>(Guid Id, string Type, DateTimeOffset CreatedAt, T Data);

/// <param name="OutputUrl">The API path that streams the output, once the job has succeeded.</param>
public sealed record JobEventData(Guid JobId, string Status, string? OutputUrl, string? Error, string? ErrorKind, string? FailedStage, Guid? BatchId);

public sealed record BatchEventData(Guid BatchId, string Name, int Jobs, int Succeeded, int Failed, int Cancelled);
