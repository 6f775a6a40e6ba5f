using Microsoft.EntityFrameworkCore;

namespace Pipeline.Api.Persistence;

/// <summary>Batches and webhooks reference their tenant's row; a tenant known only from its key may have none yet.</summary>
public static class TenantRows
{
    public static async Task EnsureAsync(JobDbContext db, string tenant, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Tenants.Local.Any(t => t.Id == tenant) || await db.Tenants.AnyAsync(t => t.Id == tenant, ct))
        {
            return;
        }

        db.Tenants.Add(new TenantRecord { Id = tenant, Name = tenant, CreatedAt = now });
    }
}
