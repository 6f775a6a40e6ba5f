namespace Pipeline.Api.Persistence;

/// <summary>A customer account: owns API keys, batches, schedules and (by <see cref="JobRecord.TenantId"/>) jobs.</summary>
public sealed class TenantRecord
{
    /// <summary>A short slug ("acme"), the same value jobs carry in <see cref="JobRecord.TenantId"/>.</summary>
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}
