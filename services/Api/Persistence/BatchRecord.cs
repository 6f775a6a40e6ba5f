namespace Pipeline.Api.Persistence;

/// <summary>A named group of jobs submitted together. Its counts are derived from its jobs, never stored.</summary>
public sealed class BatchRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}
