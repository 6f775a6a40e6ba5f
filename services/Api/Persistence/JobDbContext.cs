using Microsoft.EntityFrameworkCore;

namespace Pipeline.Api.Persistence;

/// <summary>Job state. The schema is defined here and created by hand-written migrations (Migrations/).</summary>
public sealed class JobDbContext(DbContextOptions<JobDbContext> options) : DbContext(options)
{
    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<StageRunRecord> StageRuns => Set<StageRunRecord>();

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
    }
}
