namespace Pipeline.Api.Persistence;

/// <summary>A job request submitted again and again on a cron schedule.</summary>
public sealed class ScheduleRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>Five-field cron expression, UTC.</summary>
    public string Cron { get; set; } = string.Empty;

    /// <summary>The <see cref="Pipeline.Contracts.Jobs.JobSpec"/> each run submits, as JSON.</summary>
    public string SpecJson { get; set; } = "{}";

    public bool Enabled { get; set; } = true;

    public DateTimeOffset? NextRunAt { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }
}
