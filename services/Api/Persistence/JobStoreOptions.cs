using Pipeline.Storage;

namespace Pipeline.Api.Persistence;

/// <summary>Bound from configuration section "JobStore".</summary>
public sealed class JobStoreOptions
{
    public const string Section = "JobStore";

    /// <summary>"Sqlite" (embedded). PostgreSQL arrives with the distributed runtime.</summary>
    public string Provider { get; set; } = "Sqlite";

    public string ConnectionString { get; set; } = $"Data Source={Path.Combine(PipelineHome.Default, "jobs.db")}";
}
