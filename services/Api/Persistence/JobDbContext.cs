using Microsoft.EntityFrameworkCore;

namespace Pipeline.Api.Persistence;

/// <summary>Job state. The schema is defined here and created by hand-written migrations (Migrations/).</summary>
public sealed class JobDbContext(DbContextOptions<JobDbContext> options) : DbContext(options)
{
    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<StageRunRecord> StageRuns => Set<StageRunRecord>();

    public DbSet<StageAttemptRecord> StageAttempts => Set<StageAttemptRecord>();

    public DbSet<TenantRecord> Tenants => Set<TenantRecord>();

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    public DbSet<BatchRecord> Batches => Set<BatchRecord>();

    public DbSet<ScheduleRecord> Schedules => Set<ScheduleRecord>();

    public DbSet<WebhookEndpointRecord> WebhookEndpoints => Set<WebhookEndpointRecord>();

    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<JobRecord>(job =>
        {
            job.ToTable("jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.TenantId).HasMaxLength(64).IsRequired();
            job.Property(j => j.Mode).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.SpecJson).IsRequired();
            job.Property(j => j.CurrentStage).HasMaxLength(64);
            job.Property(j => j.OutputKey).HasMaxLength(512);
            job.Property(j => j.ErrorKind).HasMaxLength(32);
            job.Property(j => j.FailedStage).HasMaxLength(64);
            job.Property(j => j.Version).IsConcurrencyToken();
            job.HasIndex(j => new { j.TenantId, j.Status });
            job.HasMany(j => j.Stages).WithOne().HasForeignKey(s => s.JobId).OnDelete(DeleteBehavior.Cascade);
            job.HasOne<BatchRecord>().WithMany().HasForeignKey(j => j.BatchId).OnDelete(DeleteBehavior.SetNull);
            job.HasIndex(j => j.BatchId);
            job.Ignore(j => j.IsFinished);
        });

        modelBuilder.Entity<StageRunRecord>(run =>
        {
            run.ToTable("stage_runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Node).HasMaxLength(64).IsRequired();
            run.Property(r => r.Stage).HasConversion<string>().HasMaxLength(32);
            run.Property(r => r.Variant).HasMaxLength(32);
            run.Property(r => r.DependsOn).HasMaxLength(1024);
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Worker).HasMaxLength(256);
            run.HasIndex(r => new { r.JobId, r.Node }).IsUnique();
            run.Ignore(r => r.IsFinished);
            run.Ignore(r => r.Dependencies);
        });

        modelBuilder.Entity<StageAttemptRecord>(attempt =>
        {
            attempt.ToTable("stage_attempts");
            attempt.HasKey(a => a.Id);
            attempt.Property(a => a.Node).HasMaxLength(64).IsRequired();
            attempt.Property(a => a.Worker).HasMaxLength(256).IsRequired();
            attempt.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
            attempt.HasOne<StageRunRecord>().WithMany().HasForeignKey(a => a.StageRunId).OnDelete(DeleteBehavior.Cascade);

            // Two replicas numbering the same attempt collide here instead of both inserting it.
            attempt.HasIndex(a => new { a.StageRunId, a.Attempt }).IsUnique();
            attempt.HasIndex(a => a.JobId);
            attempt.Ignore(a => a.IsOpen);
        });

        modelBuilder.Entity<TenantRecord>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.HasKey(t => t.Id);
            tenant.Property(t => t.Id).HasMaxLength(64);
            tenant.Property(t => t.Name).HasMaxLength(256).IsRequired();
        });

        modelBuilder.Entity<ApiKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.TenantId).HasMaxLength(64).IsRequired();
            key.Property(k => k.Prefix).HasMaxLength(16).IsRequired();
            key.Property(k => k.KeyHash).HasMaxLength(64).IsRequired();
            key.Property(k => k.Scopes).HasMaxLength(512).IsRequired();
            key.Property(k => k.Name).HasMaxLength(256);
            key.HasOne<TenantRecord>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
            key.HasIndex(k => k.Prefix).IsUnique();
        });

        modelBuilder.Entity<BatchRecord>(batch =>
        {
            batch.ToTable("batches");
            batch.HasKey(b => b.Id);
            batch.Property(b => b.TenantId).HasMaxLength(64).IsRequired();
            batch.Property(b => b.Name).HasMaxLength(256).IsRequired();
            batch.HasOne<TenantRecord>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ScheduleRecord>(schedule =>
        {
            schedule.ToTable("schedules");
            schedule.HasKey(s => s.Id);
            schedule.Property(s => s.TenantId).HasMaxLength(64).IsRequired();
            schedule.Property(s => s.Name).HasMaxLength(256).IsRequired();
            schedule.Property(s => s.Cron).HasMaxLength(128).IsRequired();
            schedule.Property(s => s.SpecJson).IsRequired();
            schedule.HasOne<TenantRecord>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);

            // The scheduler's query: the enabled schedules that are due.
            schedule.HasIndex(s => new { s.Enabled, s.NextRunAt });
        });

        modelBuilder.Entity<WebhookEndpointRecord>(endpoint =>
        {
            endpoint.ToTable("webhook_endpoints");
            endpoint.HasKey(e => e.Id);
            endpoint.Property(e => e.TenantId).HasMaxLength(64).IsRequired();
            endpoint.Property(e => e.Url).HasMaxLength(2048).IsRequired();
            endpoint.Property(e => e.Events).HasMaxLength(256).IsRequired();
            endpoint.Property(e => e.Secret).HasMaxLength(128).IsRequired();
            endpoint.HasOne<TenantRecord>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
            endpoint.HasOne<BatchRecord>().WithMany().HasForeignKey(e => e.BatchId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WebhookDeliveryRecord>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.TenantId).HasMaxLength(64).IsRequired();
            delivery.Property(d => d.EventType).HasMaxLength(32).IsRequired();
            delivery.Property(d => d.PayloadJson).IsRequired();
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.HasOne<WebhookEndpointRecord>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);

            // The dispatcher's query: the pending deliveries.
            delivery.HasIndex(d => d.Status);
        });
    }
}
