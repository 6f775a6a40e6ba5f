using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// Submit a job, follow it, fetch its output and artifacts, cancel it. A submitted spec is checked here, at once, so
/// a bad request gets a 400 with the reason instead of a job that fails later; then the orchestrator takes it over
/// the bus like any other submission. Every query is confined to the caller's tenant: another tenant's job id answers
/// exactly as a job that does not exist.
/// </summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs");
        jobs.MapPost("/", SubmitAsync);
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{id:guid}", GetAsync);
        jobs.MapGet("/{id:guid}/output", OutputAsync);
        jobs.MapGet("/{id:guid}/artifacts/{**key}", ArtifactAsync);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        JobSpec spec, HttpContext http, IObjectStore store, ISendEndpointProvider send, CancellationToken ct)
    {
        var tenant = http.TenantId();
        try
        {
            JobPlanner.Plan(spec);
        }
        catch (JobRejectedException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }

        foreach (var (field, input) in Named(spec.Inputs))
        {
            // Only this tenant's own uploads: another tenant's key is refused exactly like a key never uploaded.
            if (!TenantInputs.Owns(tenant, input.Key) || await TryStatAsync(store, input.Key, ct) is null)
            {
                return Results.BadRequest(new ApiError($"inputs.{field}: '{input.Key}' is not an uploaded input; upload it with PUT /v1/inputs/{{sha256}}/{{name}} first and use the key it returns"));
            }
        }

        if (spec.Options.Backend.ModelManifestKey is { } manifest && (!TenantInputs.Owns(tenant, manifest) || await TryStatAsync(store, manifest, ct) is null))
        {
            return Results.BadRequest(new ApiError($"options.backend.modelManifestKey: '{manifest}' is not stored"));
        }

        var id = NewId.NextGuid();
        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.SubmitJob}"));
        await endpoint.Send(new SubmitJob(id, tenant, spec), ct);
        return Results.Accepted($"/v1/jobs/{id}", new JobCreated(id, $"/v1/jobs/{id}"));
    }

    /// <summary>Newest first, without their stage runs; <c>?status=</c> filters, <c>?limit=</c> caps (default 100, at most 1000).</summary>
    private static async Task<IResult> ListAsync(HttpContext http, JobDbContext db, string? status, int? limit, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var query = db.Jobs.AsNoTracking().Where(j => j.TenantId == tenant);
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var wanted))
            {
                return Results.BadRequest(new ApiError($"status '{status}' is not one of {string.Join(", ", Enum.GetNames<JobStatus>()).ToLowerInvariant()}"));
            }

            query = query.Where(j => j.Status == wanted);
        }

        var take = Math.Clamp(limit ?? 100, 1, 1000);

        // SQLite stores DateTimeOffset as text and cannot order by it: the embedded store sorts the tenant's jobs here.
        var jobs = db.Database.IsSqlite()
            ? (await query.ToListAsync(ct)).OrderByDescending(j => j.CreatedAt).Take(take).ToList()
            : await query.OrderByDescending(j => j.CreatedAt).Take(take).ToListAsync(ct);
        return Results.Ok(jobs.Select(JobView.Of).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, JobDbContext db, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        return job is null ? NotFound(id) : Results.Ok(JobView.Of(job));
    }

    private static async Task<IResult> OutputAsync(Guid id, HttpContext http, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded || job.OutputKey is null)
        {
            return Results.Conflict(new ApiError($"job {id} is {job.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded"));
        }

        return await StreamAsync(store, job.OutputKey, ct);
    }

    private static async Task<IResult> ArtifactAsync(Guid id, string key, HttpContext http, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        // Only what this job (of this tenant) and its stages recorded: a job id is not a key to the whole store.
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        var quoted = JsonSerializer.Serialize(key);
        var referenced = job.OutputKey == key || job.SpecJson.Contains(quoted, StringComparison.Ordinal)
            || job.Stages.Any(s => s.ResultJson?.Contains(quoted, StringComparison.Ordinal) == true);
        return referenced ? await StreamAsync(store, key, ct) : Results.NotFound(new ApiError($"job {id} has no artifact '{key}'"));
    }

    private static async Task<IResult> CancelAsync(Guid id, HttpContext http, JobDbContext db, ISendEndpointProvider send, CancellationToken ct)
    {
        var tenant = http.TenantId();
        if (!await db.Jobs.AnyAsync(j => j.Id == id && j.TenantId == tenant, ct))
        {
            return NotFound(id);
        }

        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.CancelJob}"));
        await endpoint.Send(new CancelJob(id, "cancelled through the API"), ct);
        return Results.Accepted($"/v1/jobs/{id}");
    }

    private static async Task<IResult> StreamAsync(IObjectStore store, string key, CancellationToken ct)
    {
        var info = await TryStatAsync(store, key, ct);
        if (info is null)
        {
            return Results.NotFound(new ApiError($"'{key}' is no longer stored"));
        }

        var content = await store.OpenReadAsync(key, ct);
        var type = Path.GetExtension(key) switch
        {
            ".mp4" => "video/mp4",
            ".mov" => "video/quicktime",
            ".mkv" => "video/x-matroska",
            ".webm" => "video/webm",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".json" => "application/json",
            ".wav" => "audio/wav",
            _ => "application/octet-stream",
        };
        return Results.Stream(content, type, Path.GetFileName(key), lastModified: info.LastModified);
    }

    private static async Task<ObjectInfo?> TryStatAsync(IObjectStore store, string key, CancellationToken ct)
    {
        try
        {
            return await store.StatAsync(key, ct);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Field, ArtifactRef Input)> Named(JobInputs inputs)
    {
        if (inputs.Video is { } video)
        {
            yield return ("video", video);
        }

        if (inputs.Image is { } image)
        {
            yield return ("image", image);
        }

        if (inputs.Audio is { } audio)
        {
            yield return ("audio", audio);
        }
    }

    private static IResult NotFound(Guid id) => Results.NotFound(new ApiError($"no job {id}"));
}
