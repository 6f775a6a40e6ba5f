using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Http.Uploads;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// Submit a job, follow it, fetch its output and artifacts, cancel it. A submitted spec is checked here, at once, so
/// a bad request gets a 400 with the reason instead of a job that fails later; then the orchestrator takes it over
/// the bus like any other submission.
/// </summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs");
        // No Accepts<> metadata: routing would answer 415 to any content type it does not list, and the body is
        // either JSON or a multipart form (SubmitAsync reads both).
        jobs.MapPost("/", SubmitAsync).DisableAntiforgery();
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{id:guid}", GetAsync);
        jobs.MapGet("/{id:guid}/output", OutputAsync);
        jobs.MapGet("/{id:guid}/artifacts/{**key}", ArtifactAsync);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync);
        return app;
    }

    /// <summary>
    /// A job as JSON (a <see cref="JobSpec"/> naming uploaded inputs) or as a multipart form carrying the files
    /// themselves (<see cref="MultipartJobForm"/>); both are checked and submitted the same way.
    /// </summary>
    private static async Task<IResult> SubmitAsync(
        HttpRequest request, IObjectStore store, ISendEndpointProvider send, IOptions<ApiOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            JobSpec? spec;
            try
            {
                spec = await request.ReadFromJsonAsync<JobSpec>(ct);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return Results.BadRequest(new ApiError($"the body is not a job spec: {e.Message}"));
            }

            return spec is null ? Results.BadRequest(new ApiError("the body is empty")) : await SubmitSpecAsync(request.HttpContext, spec, store, send, ct);
        }

        var form = new MultipartJobForm(store, options.Value.MaxUploadBytes, logs.CreateLogger("Pipeline.Api.Inputs"));
        var read = await form.ReadAsync(request, ct);
        if (read.Spec is null)
        {
            return read.Refusal!;
        }

        var submitted = await SubmitSpecAsync(request.HttpContext, read.Spec, store, send, ct);
        if (submitted is not Accepted<JobCreated>)
        {
            // Refused after its files were stored: the form leaves nothing behind.
            await form.DeleteCreatedAsync();
        }

        return submitted;
    }

    private static async Task<IResult> SubmitSpecAsync(HttpContext context, JobSpec spec, IObjectStore store, ISendEndpointProvider send, CancellationToken ct)
    {
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
            if (!input.Key.StartsWith("inputs/", StringComparison.Ordinal) || await TryStatAsync(store, input.Key, ct) is null)
            {
                return Results.BadRequest(new ApiError($"inputs.{field}: '{input.Key}' is not an uploaded input; upload it with PUT /v1/inputs/{{sha256}}/{{name}} first"));
            }
        }

        if (spec.Options.Backend.ModelManifestKey is { } manifest && await TryStatAsync(store, manifest, ct) is null)
        {
            return Results.BadRequest(new ApiError($"options.backend.modelManifestKey: '{manifest}' is not stored"));
        }

        var id = NewId.NextGuid();
        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.SubmitJob}"));
        await endpoint.Send(new SubmitJob(id, context.TenantId(), spec), ct);
        return TypedResults.Accepted($"/v1/jobs/{id}", new JobCreated(id, $"/v1/jobs/{id}"));
    }

    /// <summary>Newest first, without their stage runs; <c>?status=</c> filters, <c>?limit=</c> caps (default 100, at most 1000).</summary>
    private static async Task<IResult> ListAsync(JobDbContext db, string? status, int? limit, CancellationToken ct)
    {
        var query = db.Jobs.AsNoTracking();
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var wanted))
            {
                return Results.BadRequest(new ApiError($"status '{status}' is not one of {string.Join(", ", Enum.GetNames<JobStatus>()).ToLowerInvariant()}"));
            }

            query = query.Where(j => j.Status == wanted);
        }

        var jobs = await query.OrderByDescending(j => j.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
        return Results.Ok(jobs.Select(JobView.Of).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, JobDbContext db, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id, ct);
        return job is null ? NotFound(id) : Results.Ok(JobView.Of(job));
    }

    private static async Task<IResult> OutputAsync(Guid id, HttpRequest request, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded || job.OutputKey is null)
        {
            return Results.Conflict(new ApiError($"job {id} is {job.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded"));
        }

        return await StreamAsync(request, store, job.OutputKey, ct);
    }

    private static async Task<IResult> ArtifactAsync(Guid id, string key, HttpRequest request, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        // Only what this job's stages recorded: a job id is not a key to the whole store.
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        var quoted = JsonSerializer.Serialize(key);
        var referenced = job.OutputKey == key || job.SpecJson.Contains(quoted, StringComparison.Ordinal)
            || job.Stages.Any(s => s.ResultJson?.Contains(quoted, StringComparison.Ordinal) == true);
        return referenced ? await StreamAsync(request, store, key, ct) : Results.NotFound(new ApiError($"job {id} has no artifact '{key}'"));
    }

    private static async Task<IResult> CancelAsync(Guid id, JobDbContext db, ISendEndpointProvider send, CancellationToken ct)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == id, ct))
        {
            return NotFound(id);
        }

        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.CancelJob}"));
        await endpoint.Send(new CancelJob(id, "cancelled through the API"), ct);
        return Results.Accepted($"/v1/jobs/{id}");
    }

    /// <summary>
    /// The object's bytes, with HTTP Range support so a browser can play and seek a video: served here when the
    /// store's stream can seek (the local store's file), else a range request goes to a presigned URL of the store.
    /// </summary>
    private static async Task<IResult> StreamAsync(HttpRequest request, IObjectStore store, string key, CancellationToken ct)
    {
        var info = await TryStatAsync(store, key, ct);
        if (info is null)
        {
            return Results.NotFound(new ApiError($"'{key}' is no longer stored"));
        }

        var content = await store.OpenReadAsync(key, ct);
        if (!content.CanSeek && request.Headers.Range.Count > 0 && store is IPresignedUrls presigned
            && presigned.GetDownloadUrl(key, TimeSpan.FromMinutes(15)) is { } url)
        {
            await content.DisposeAsync();
            return Results.Redirect(url.ToString());
        }

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
            ".mp3" => "audio/mpeg",
            _ => "application/octet-stream",
        };
        return Results.Stream(content, type, Path.GetFileName(key), lastModified: info.LastModified, enableRangeProcessing: content.CanSeek);
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
