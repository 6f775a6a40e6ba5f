using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Webhooks;

/// <summary>Adds one delivery per endpoint that wants an event; the caller's SaveChanges writes them.</summary>
internal static class WebhookQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The tenant's endpoints and, for a batch's job or the batch itself, the batch's one-off endpoint. Each delivery
    /// gets its own id (the receiver's idempotency key), so each has its own body.
    /// </summary>
    public static async Task<int> EnqueueAsync<T>(
        JobDbContext db, string tenant, Guid? batchId, string type, Guid subjectId, T data, DateTimeOffset now, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.TenantId == tenant && (e.BatchId == null || e.BatchId == batchId))
            .ToListAsync(ct);
        var count = 0;
        foreach (var endpoint in endpoints.Where(e => e.Wants(type)))
        {
            var id = Guid.NewGuid();
            db.WebhookDeliveries.Add(new WebhookDeliveryRecord
            {
                Id = id,
                TenantId = tenant,
                EndpointId = endpoint.Id,
                SubjectId = subjectId,
                EventType = type,
                PayloadJson = JsonSerializer.Serialize(new WebhookPayload<T>(id, type, now, data), Json),
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
            count++;
        }

        return count;
    }
}
