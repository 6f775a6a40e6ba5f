namespace Pipeline.Api.Persistence;

/// <summary>
/// Where a tenant wants to hear about its jobs. The secret signs every delivery (HMAC-SHA256), so it is kept as is:
/// unlike an API key it must be read back to sign. A row with a <see cref="BatchId"/> is a batch's one-off
/// <c>webhookUrl</c> and hears only about that batch.
/// </summary>
public sealed class WebhookEndpointRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    /// <summary>Space-separated event types: "job.succeeded job.failed batch.completed".</summary>
    public string Events { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;

    public Guid? BatchId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool Wants(string type) => Events.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(type, StringComparer.Ordinal);
}
