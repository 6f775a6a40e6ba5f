using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Webhooks;

/// <summary>
/// The outbox: when a save turns a job Succeeded or Failed, the same save (one transaction) writes a delivery for
/// every endpoint that wants the event. Hooked into the job store rather than into each of the orchestrator's
/// terminal transitions (completion, stage failure, planning failure, the watchdog), so none of them can forget it.
/// Saves that finish no job pay one pass over the tracked jobs and no query.
/// </summary>
public sealed class WebhookOutbox(TimeProvider clock) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is JobDbContext db)
        {
            await EnqueueAsync(db, cancellationToken);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is JobDbContext db)
        {
            EnqueueAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    private async Task EnqueueAsync(JobDbContext db, CancellationToken ct)
    {
        var finished = FinishedJobs(db);
        if (finished.Count == 0)
        {
            return;
        }

        // A save the execution strategy retries runs this again with the first try's deliveries still added.
        var queued = db.ChangeTracker.Entries<WebhookDeliveryRecord>()
            .Where(e => e.State == EntityState.Added).Select(e => e.Entity.SubjectId).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var job in finished.Where(j => !queued.Contains(j.Id)))
        {
            var succeeded = job.Status == JobStatus.Succeeded;
            var data = new JobEventData(
                job.Id,
                job.Status.ToString().ToLowerInvariant(),
                succeeded ? $"/v1/jobs/{job.Id}/output" : null,
                job.Error,
                job.ErrorKind,
                job.FailedStage,
                job.BatchId);
            await WebhookQueue.EnqueueAsync(db, job.TenantId, job.BatchId, succeeded ? WebhookEvents.JobSucceeded : WebhookEvents.JobFailed, job.Id, data, now, ct);
        }
    }

    // Without DetectChanges (SaveChanges runs it anyway): a job's status is compared with the value it was loaded with.
    private static List<JobRecord> FinishedJobs(JobDbContext db)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<JobRecord>().Where(BecameTerminal).Select(e => e.Entity).ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static bool BecameTerminal(EntityEntry<JobRecord> entry)
    {
        if (entry.Entity.Status is not (JobStatus.Succeeded or JobStatus.Failed))
        {
            return false;
        }

        return entry.State switch
        {
            EntityState.Added => true,
            EntityState.Modified or EntityState.Unchanged => entry.Property(j => j.Status).OriginalValue != entry.Entity.Status,
            _ => false,
        };
    }
}
