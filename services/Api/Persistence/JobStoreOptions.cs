using Pipeline.Storage;

namespace Pipeline.Api.Persistence;

/// <summary>Bound from configuration section "JobStore".</summary>
public sealed class JobStoreOptions
{
    public const string Section = "JobStore";

    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    /// <summary>"Sqlite" (embedded, one process) or "Postgres" (the distributed runtime, several Api replicas).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>A SQLite "Data Source=..." or an Npgsql connection string, to match <see cref="Provider"/>.</summary>
    public string ConnectionString { get; set; } = $"Data Source={Path.Combine(PipelineHome.Default, "jobs.db")}";

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
