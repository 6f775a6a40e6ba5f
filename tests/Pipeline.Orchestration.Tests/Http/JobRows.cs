using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>Job rows written straight into the Api's job store, for tests about how the API reads them.</summary>
public static class JobRows
{
    public static JobRecord Job(
        string tenant, JobStatus status, DateTimeOffset createdAt, JobMode mode = JobMode.Dub, string outputName = "output.mp4", Guid? batchId = null) =>
        new()
        {
            Id = Guid.NewGuid(),
            TenantId = tenant,
            BatchId = batchId,
            Mode = mode,
            Status = status,
            SpecJson = JsonSerializer.Serialize(Jobs.Dub() with { Mode = mode, OutputName = outputName }, JobJson.Options),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            FinishedAt = status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled ? createdAt.AddSeconds(30) : null,
        };

    public static async Task AddAsync(ApiHost api, params object[] rows)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        db.AddRange(rows);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The tenant row batches and keys hang off, unless the store already has it.</summary>
    public static async Task EnsureTenantAsync(ApiHost api, string tenant)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        if (await db.Tenants.FindAsync([tenant], TestContext.Current.CancellationToken) is null)
        {
            db.Tenants.Add(new TenantRecord { Id = tenant, Name = tenant, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
    }

    public static async Task<JobRecord?> FindAsync(ApiHost api, Guid id)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        return await db.Jobs.FindAsync([id], TestContext.Current.CancellationToken);
    }
}
