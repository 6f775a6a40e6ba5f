using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Webhooks;

/// <summary>
/// Sends the outbox: every poll it enqueues batch.completed for batches whose last job has finished, then POSTs
/// each due delivery, signed, and on a non-2xx answer or a timeout schedules the next attempt with exponential
/// backoff until <see cref="WebhookOptions.MaxAttempts"/>, when the delivery is marked failed. Several Api replicas
/// share the table: an attempt is claimed by bumping the attempt count from the value the replica read (only one
/// replica's update matches) and pushing the due time past the attempt's timeout (a lease: if the replica dies
/// mid-send, another retries once the lease ends).
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CompleteBatchesAsync(stoppingToken);
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be briefly unreachable; the next poll tries again.
                logger.LogWarning(e, "webhook dispatch pass failed");
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A batch completes when as many of its jobs have finished as were submitted. Found by polling rather than in
    /// the job's own transition: two last jobs finishing at once would each see the other still running.
    /// </summary>
    private async Task CompleteBatchesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        var done = await db.Batches.AsNoTracking()
            .Where(b => b.CompletedAt == null && b.JobCount > 0)
            .Where(b => db.Jobs.Count(j => j.BatchId == b.Id
                && (j.Status == JobStatus.Succeeded || j.Status == JobStatus.Failed || j.Status == JobStatus.Cancelled)) >= b.JobCount)
            .Select(b => b.Id)
            .ToListAsync(ct);
        foreach (var id in done)
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow();
                var claimed = await db.Batches.Where(b => b.Id == id && b.CompletedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.CompletedAt, now), ct);
                if (claimed == 0)
                {
                    return;
                }

                var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, ct);
                var statuses = await db.Jobs.AsNoTracking().Where(j => j.BatchId == id).Select(j => j.Status).ToListAsync(ct);
                var data = new BatchEventData(
                    id,
                    batch.Name,
                    statuses.Count,
                    statuses.Count(s => s == JobStatus.Succeeded),
                    statuses.Count(s => s == JobStatus.Failed),
                    statuses.Count(s => s == JobStatus.Cancelled));
                await WebhookQueue.EnqueueAsync(db, batch.TenantId, id, WebhookEvents.BatchCompleted, id, data, now, ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                logger.LogInformation("batch {BatchId} completed: {Succeeded} succeeded, {Failed} failed", id, data.Succeeded, data.Failed);
            });
        }
    }

    private async Task DeliverDueAsync(CancellationToken ct)
    {
        List<(Guid Id, int Attempts)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();

            // SQLite cannot compare DateTimeOffset in SQL: the pending set is small, so the due filter runs here.
            var now = clock.GetUtcNow();
            var pending = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending)
                .Select(d => new { d.Id, d.Attempts, d.NextAttemptAt })
                .ToListAsync(ct);
            due = pending.Where(d => d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt).Select(d => (d.Id, d.Attempts)).ToList();
        }

        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = ct },
            async (d, token) => await AttemptAsync(d.Id, d.Attempts, token));
    }

    private async Task AttemptAsync(Guid id, int seenAttempts, CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        var leaseEnd = clock.GetUtcNow() + settings.Timeout + settings.Timeout;
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && d.Attempts == seenAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, seenAttempts + 1).SetProperty(d => d.NextAttemptAt, leaseEnd), ct);
        if (claimed == 0)
        {
            return;
        }

        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == id, ct);
        var endpoint = delivery is null ? null : await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        if (delivery is null || endpoint is null)
        {
            return;
        }

        var (status, error) = await SendAsync(endpoint, delivery, settings, ct);
        var now = clock.GetUtcNow();
        delivery.LastStatusCode = status;
        delivery.LastError = error;
        if (error is null)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.FinishedAt = now;
        }
        else if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.FinishedAt = now;
            logger.LogWarning("webhook {DeliveryId} ({Type}) to {Url} failed after {Attempts} attempts: {Error}", id, delivery.EventType, endpoint.Url, delivery.Attempts, error);
        }
        else
        {
            delivery.NextAttemptAt = now + settings.RetryDelay(delivery.Attempts);
            logger.LogInformation("webhook {DeliveryId} to {Url}: attempt {Attempt} failed ({Error}); next at {Next}", id, endpoint.Url, delivery.Attempts, error, delivery.NextAttemptAt);
        }

        // Not the stopping token: an attempt that was sent must be recorded.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<(int? Status, string? Error)> SendAsync(WebhookEndpointRecord endpoint, WebhookDeliveryRecord delivery, WebhookOptions settings, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.PayloadJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(endpoint.Secret, delivery.PayloadJson, clock.GetUtcNow()));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, $"HTTP {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {settings.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }
}
