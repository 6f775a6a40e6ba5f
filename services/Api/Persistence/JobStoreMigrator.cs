using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Pipeline.Api.Persistence;

/// <summary>Applies pending migrations at start-up, before the bus starts delivering (hosted services start in order).</summary>
public sealed class JobStoreMigrator(IServiceScopeFactory scopes, ILogger<JobStoreMigrator> logger) : IHostedService
{
    /// <summary>
    /// The advisory lock every Api replica takes around migrating a PostgreSQL job store, so replicas starting
    /// together apply each migration once instead of racing on CREATE TABLE. Any fixed 64-bit number will do.
    /// </summary>
    public const long MigrationLockKey = 0x5069_7065_4A6F_6273; // "PipeJobs"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        if (db.Database.IsSqlite())
        {
            await MigrateSqliteAsync(db, cancellationToken);
        }
        else
        {
            await MigratePostgresAsync(db, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateSqliteAsync(JobDbContext db, CancellationToken ct)
    {
        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await ApplyPendingAsync(db, ct);

        // WAL lets the CLI read job state while the orchestrator writes; the busy timeout rides out short locks.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    private async Task MigratePostgresAsync(JobDbContext db, CancellationToken ct)
    {
        // A session-level advisory lock belongs to one connection: open it here so the lock, the pending-migration
        // check and the migrations all use it (EF leaves a connection it did not open alone).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
            try
            {
                await ApplyPendingAsync(db, ct);
            }
            finally
            {
                // Not the caller's token: the lock must go even when start-up is being cancelled.
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task ApplyPendingAsync(JobDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("applying job-store migrations: {Migrations}", string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }
    }
}
