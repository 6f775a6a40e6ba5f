using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http;

/// <summary>
/// What the dashboard's job page shows beyond <see cref="JobView"/>: the spec as submitted (its inputs to play back)
/// and every worker's try at each stage run (the stage log).
/// </summary>
public static class JobDetailEndpoints
{
    public static IEndpointRouteBuilder MapJobDetailEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs/{id:guid}/spec", SpecAsync);
        app.MapGet("/jobs/{id:guid}/attempts", AttemptsAsync);
        return app;
    }

    private static async Task<IResult> SpecAsync(Guid id, HttpContext context, JobDbContext db, CancellationToken ct)
    {
        var tenant = context.TenantId();
        var spec = await db.Jobs.AsNoTracking().Where(j => j.Id == id && j.TenantId == tenant).Select(j => j.SpecJson).SingleOrDefaultAsync(ct);
        return spec is null ? Results.NotFound(new ApiError($"no job {id}")) : Results.Ok(JsonDocument.Parse(spec).RootElement.Clone());
    }

    private static async Task<IResult> AttemptsAsync(Guid id, HttpContext context, JobDbContext db, CancellationToken ct)
    {
        var tenant = context.TenantId();
        if (!await db.Jobs.AnyAsync(j => j.Id == id && j.TenantId == tenant, ct))
        {
            return Results.NotFound(new ApiError($"no job {id}"));
        }

        var attempts = await db.StageAttempts.AsNoTracking().Where(a => a.JobId == id).ToListAsync(ct);
        return Results.Ok(attempts
            .OrderBy(a => a.StartedAt).ThenBy(a => a.Node, StringComparer.Ordinal).ThenBy(a => a.Attempt)
            .Select(a => new AttemptView(a.Node, a.Attempt, a.Worker, a.StartedAt, a.FinishedAt, a.Outcome?.ToString(), a.Error))
            .ToList());
    }
}

public sealed record AttemptView(string Node, int Attempt, string Worker, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, string? Error);
